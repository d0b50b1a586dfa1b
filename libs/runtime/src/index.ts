export { checkDependencies } from './dependency';
export { runApp } from './run-app';
