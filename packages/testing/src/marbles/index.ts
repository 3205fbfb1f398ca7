export { createTestScheduler, CopilotTestScheduler, normalizeErrors, type DeepEqualAssertion, type ErrorShape, type TestSchedulerConfig } from './testScheduler.js';
export { createEventFactory, type EventFactory, type EventFactoryConfig } from './eventFactory.js';
export type { EnvelopeOption } from './factoryCore.js';
export type { ToolFailure } from './toolBuilders.js';
export { DEFAULT_MODEL } from './assistantBuilders.js';
export { sessionEvents, type SessionEventsConfig, type SubscriptionLogs } from './sessionEvents.js';
export { EventStamper, type EnvelopeOverrides, type EventStamperConfig, type WireSessionEvent } from './eventStamper.js';
export { EPHEMERAL_EVENT_TYPES, isEphemeralType } from './ephemeralTypes.js';
