// What `vscode` resolves to when core is compiled on its own (src/core/tsconfig.json): a module
// with nothing in it, so any use of the editor API in core fails to compile.
export {};
