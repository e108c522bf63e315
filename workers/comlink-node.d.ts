// comlink ships types for its Node adapter as node-adapter.d.ts; TypeScript looks for .d.mts beside .mjs.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
