export * from './sessionEvent';
export * from './lifecycle';
export { openEnum, type OpenEnum } from './openEnum';
/** Every generated data codec and type of the schema, e.g. `EventCodecs.AssistantMessageData`. */
export * as EventCodecs from './generated';
