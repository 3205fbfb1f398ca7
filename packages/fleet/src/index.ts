/**
 * @copilot-rx/fleet: Copilot CLIs on many hosts as one set of Observables, over NATS JetStream.
 */
export { FleetHost, type FleetHostOptions, type FleetHostProblem } from './host/FleetHost.js';
export { REMOTE_CONFIG_FIELDS, type RemoteConfigField, type RemoteConfigPolicy } from './host/remoteConfigPolicy.js';
export { Outbox, DEFAULT_OUTBOX, type OutboxConfig, type OutboxStats, type Publisher } from './host/Outbox.js';
export { CopilotFleet, type CopilotFleetOptions } from './consumer/CopilotFleet.js';
export { RemoteSession } from './consumer/RemoteSession.js';
export { MAX_PROMPT_PAUSE_MS } from './consumer/remoteTurn.js';
export type { FleetConnectionState, FleetConnectionStatus } from './consumer/connectionStatus.js';
export type { FleetEvent, ReplayFrom } from './consumer/fleetEvents.js';
export type { HostStatus } from './consumer/hostsView.js';
export type { SessionStatus, SessionState } from './consumer/sessionsView.js';
export type { FleetConnection } from './connection.js';
export { natsConnectOptions, withoutBrokerCredentials, type NatsCommandLine } from './natsOptions.js';
export { ensureFleetStream, fleetStreamConfig, largestFleetMessage, DEFAULT_STREAM_LIMITS, type FleetStreamLimits } from './streamConfig.js';
export {
  SUBJECT_ROOT,
  FLEET_STREAM,
  HOSTS_BUCKET,
  HOST_LEVEL,
  CONTROL_VERBS,
  assertToken,
  sessionSubject,
  controlSubject,
  hostControlWildcard,
  fleetStreamSubjects,
  parseSubject,
  type SubjectKind,
  type ControlVerb,
  type ParsedSubject,
} from './subjects.js';
export * from './errors.js';
export { RemoteSessionConfig } from './wire/control.js';
export { EventBatch, LifecycleRecord, HealthRecord } from './wire/records.js';
export {
  hostPermissions,
  watcherPermissions,
  operatorPermissions,
  natsAuthorization,
  type NatsPermissions,
  type NatsUser,
} from './permissions.js';
