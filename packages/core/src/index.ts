export {};
export { ofType } from './ofType';
