export { startLinkProxy, type LinkProxy, type LinkProxyOptions } from './startLinkProxy.js';
