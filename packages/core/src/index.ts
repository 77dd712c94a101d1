/**
 * @adjoint/core: compile TypeScript functions marked `/** @differentiable *\/` into companion
 * modules holding their gradients.
 */
export type * from './api.js';
export { compile, compileSync, IR_STAGES } from './pipeline.js';
export { stopGradient } from './stop-gradient.js';
export { formatDiagnostic, type FormatOptions } from './diagnostics/format.js';
export { createDiagnostic, sortDiagnostics } from './diagnostics/create.js';
export { catalogue, type DiagnosticCode } from './diagnostics/catalogue.js';
export {
  GENERATED_HEADER_PREFIX,
  companionPathFor,
  generatedFrom,
  generatedHeader,
  isCompilableSourcePath,
  isGeneratedText,
  sourcePathFor,
} from './companion.js';
export { mayHoldMark } from './phases/1-parse/marks.js';
export { decodeSourceText } from './source-text.js';
export { companionToJavaScript, type JavaScriptCompanion, type SourceMap } from './javascript.js';
export { markedFunctionOfExport } from './naming.js';
export { sameCode } from './same-code.js';
