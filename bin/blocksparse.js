#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/ by `npm run build` (run by `npm install` via "prepare").
require('../dist/cli.js');
