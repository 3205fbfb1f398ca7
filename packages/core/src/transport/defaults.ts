/** Defaults shared by the transports, in one place so the doc comments and the code agree. */

/** `CliProcessOptions.startupTimeoutMs`: how long a TCP-mode CLI may take to print its port. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
/** `CliProcessOptions.shutdownGraceMs`: how long `dispose()` waits for a polite exit before SIGKILL. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 3_000;
/** Where TCP transports connect: the CLI binds loopback only. */
export const DEFAULT_HOST = '127.0.0.1';
/** How long opening a socket may take (the official SDK's value). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long `dispose()` waits for the server to close its side of a socket before destroying it. */
export const SOCKET_END_GRACE_MS = 1_000;
