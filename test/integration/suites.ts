// Every suite that runs inside VS Code's extension host (bundled into the test extension).
import './extensionHost.itest';
import './modelText.itest';
import './torchSource.itest';
import './settings.itest';
import './documents.itest';
import './training.itest';
