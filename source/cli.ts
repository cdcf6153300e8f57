#!/usr/bin/env node
// The executable's entry (package.json "bin"); the command itself lives in cli/.
// Heap tuning must run before anything else allocates.
import './cli/heap-tuning.js';
import './cli/main.js';
