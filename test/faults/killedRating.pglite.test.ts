import { killedRating } from './support/killedCommands.ts';
import { describeKilledCommand } from './support/killedCommandSuite.ts';

describeKilledCommand(killedRating, 'pglite');
