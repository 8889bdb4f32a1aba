// The `promptscope` executable. The console guard must stay the first import: ES modules are
// evaluated in import order, so it is in place before main.ts and every library it loads.
import './console-guard';
import { runCli } from './main';

runCli();
