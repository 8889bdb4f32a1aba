/**
 * Dataset export (issue #6): a `.prompt` file plus a table of rows (JSONL or CSV) becomes
 * fine-tuning data, one JSON record per line.
 *
 * - Rows: `rows.ts` (each row's fields are the prompt's inputs, `output` is the record's output).
 * - Inputs: `inputs.ts` (required inputs, CSV conversion, schema checks, defaults).
 * - Records: `records.ts` (`instruction` and `chat` formats, how instruction and input are split).
 * - Export: `export.ts` (render every row through renderPrompt, collect bad rows with lines).
 * - Output: `write.ts` (temporary file + rename; an output that is a folder or an input is refused).
 * - Streaming: `stream.ts` (rows from a byte stream in bounded memory, invalid UTF-8 reported per row).
 */
export { dataFileFormat, readDataRows, type DataFileFormat, type DataRow, type DataRows, type RowItem, type RowProblem } from './rows';
export { OUTPUT_FIELD, planInputs, rowInputs, type InputPlan, type RowInputs } from './inputs';
export {
  buildRecord,
  DATASET_FORMATS,
  INPUT_SECTION,
  type ChatRecord,
  type DatasetFormat,
  type DatasetRecord,
  type InstructionRecord,
} from './records';
export {
  DatasetPromptError,
  defaultNotes,
  exportDataset,
  formatProblems,
  summaryLine,
  type ExportRequest,
  type ExportSummary,
} from './export';
export { AtomicFile, outputProblem, writeFileAtomic } from './write';
export { streamDataRows } from './stream';
