import { FleetControlError, FleetTimeoutError, InvalidSubjectTokenError } from '@copilot-rx/fleet';
import { HttpError } from '../server/HttpError';

/**
 * What the page is told when a host's control service refused or could not be reached: the status
 * says whose problem it is, and the message is the host's (bounded by the fleet package). Anything
 * that is not a control refusal passes through unchanged.
 */
export function controlHttpError(error: unknown): unknown {
  if (error instanceof FleetTimeoutError) return new HttpError(504, error.message);
  // A host answered a create with a session id no subject can carry: the host is at fault.
  if (error instanceof InvalidSubjectTokenError) return new HttpError(502, `The host answered with a session id the fleet cannot address: ${error.message}`);
  if (!(error instanceof FleetControlError)) return error;
  switch (error.reason) {
    case 'UNKNOWN_SESSION':
      return new HttpError(409, `${error.message} (destroyed, or its host restarted)`);
    case 'NO_RESPONDERS':
      return new HttpError(503, `${error.message} (is the host up?)`);
    case 'HOST_STOPPING':
      return new HttpError(503, error.message);
    case 'PERMISSION_DENIED':
      return new HttpError(403, `${error.message} (this dashboard's NATS user may watch but not control)`);
    case 'BAD_REQUEST':
      return new HttpError(400, error.message);
    case 'CONFIG_REFUSED':
      return new HttpError(403, error.message);
    default:
      return new HttpError(502, error.message);
  }
}
