import { killedInvoiceRun } from './support/killedCommands.ts';
import { describeKilledCommand } from './support/killedCommandSuite.ts';

describeKilledCommand(killedInvoiceRun, 'postgres');
