export { createTestScheduler, CopilotTestScheduler, normalizeErrors, type DeepEqualAssertion, type ErrorShape, type TestSchedulerConfig } from './testScheduler';
export { createEventFactory, type EventFactory, type EventFactoryConfig } from './eventFactory';
export type { EnvelopeOption } from './factoryCore';
export type { ToolFailure } from './toolBuilders';
export { DEFAULT_MODEL } from './assistantBuilders';
export { sessionEvents, type SessionEventsConfig, type SubscriptionLogs } from './sessionEvents';
export { EventStamper, type EnvelopeOverrides, type EventStamperConfig, type WireSessionEvent } from './eventStamper';
export { EPHEMERAL_EVENT_TYPES, isEphemeralType } from './ephemeralTypes';
