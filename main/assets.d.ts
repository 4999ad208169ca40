// `import path from './file.png?asset'`: electron-vite copies the file into out/ and the import is its path there.
/// <reference types="electron-vite/node" />
