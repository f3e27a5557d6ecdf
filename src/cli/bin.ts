import { runCli } from './main';
import { runBin } from './runCommand';

runBin(runCli);
