await import('./dist/src/commands/sync.js');
