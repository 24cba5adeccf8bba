import { killedIngest } from './support/killedCommands.ts';
import { describeKilledCommand } from './support/killedCommandSuite.ts';

describeKilledCommand(killedIngest, 'postgres');
