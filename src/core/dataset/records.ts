/**
 * One rendered prompt plus its output as a fine-tuning record.
 *
 * `instruction` format — `{"instruction", "input", "output"}`, the record the course's fine-tuning
 * section describes (e.g. {"instruction": "请翻译这个中文句子", "input": "你好", "output": "hello"}).
 * The rendered messages are split in this order of precedence:
 *   1. `{{section "input"}}` in the template: the text before the marker is the instruction, the
 *      text after it the input (across messages, so a system message plus a user message that
 *      opens with the marker works too);
 *   2. otherwise, when the prompt has system messages: their text is the instruction, the text
 *      of the other messages is the input;
 *   3. otherwise the whole rendered text is the instruction and the input is empty, which the
 *      format allows (Alpaca-style records leave "input" empty when the task needs none).
 * Message texts are joined with a blank line; each field is trimmed.
 *
 * `chat` format — `{"messages": [{"role", "content"}, …]}`: the rendered messages in order, with
 * Dotprompt's `model` role written as `assistant`, then the output as a final assistant message.
 * Messages whose text is blank are left out.
 *
 * A prompt that renders media, tool requests or anything else that is not text cannot become a
 * text record; the row is reported.
 */
import type { RenderedPrompt } from '../prompt/render';

export type DatasetFormat = 'instruction' | 'chat';
export const DATASET_FORMATS: readonly DatasetFormat[] = ['instruction', 'chat'];

export interface InstructionRecord {
  instruction: string;
  input: string;
  output: string;
}

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatRecord {
  messages: { role: ChatRole; content: string }[];
}

export type DatasetRecord = InstructionRecord | ChatRecord;

/** The name the `{{section}}` marker takes to split instruction from input. */
export const INPUT_SECTION = 'input';

type Message = RenderedPrompt['messages'][number];
type Part = Message['content'][number];

/** A message as text pieces; a section marker is an empty piece carrying its name. */
interface Piece {
  text: string;
  section?: string;
}

export function buildRecord(rendered: RenderedPrompt, output: string, format: DatasetFormat): DatasetRecord | { problem: string } {
  const messages: { role: Message['role']; pieces: Piece[] }[] = [];
  for (const message of rendered.messages) {
    const pieces: Piece[] = [];
    for (const part of message.content) {
      const piece = pieceOf(part);
      if (typeof piece === 'string') return { problem: piece };
      pieces.push(piece);
    }
    messages.push({ role: message.role, pieces });
  }
  return format === 'chat' ? chatRecord(messages, output) : instructionRecord(messages, output);
}

function pieceOf(part: Part): Piece | string {
  if ('text' in part && typeof part.text === 'string') return { text: part.text };
  if ('media' in part && part.media)
    return `the prompt renders media (${part.media.contentType ?? part.media.url.slice(0, 40)}), which a text record cannot hold`;
  if ('toolRequest' in part && part.toolRequest) return 'the prompt renders a tool request, which a text record cannot hold';
  if ('toolResponse' in part && part.toolResponse) return 'the prompt renders a tool response, which a text record cannot hold';
  if ('metadata' in part && part.metadata) {
    const purpose = (part.metadata as { purpose?: unknown }).purpose;
    return { text: '', ...(typeof purpose === 'string' ? { section: purpose } : {}) };
  }
  return `the prompt renders a part that is not text (${JSON.stringify(part).slice(0, 60)})`;
}

function textOf(pieces: readonly Piece[]): string {
  return pieces
    .map((p) => p.text)
    .join('')
    .trim();
}

function joinTexts(texts: readonly string[]): string {
  return texts.filter((t) => t !== '').join('\n\n');
}

function instructionRecord(messages: { role: Message['role']; pieces: Piece[] }[], output: string): InstructionRecord {
  const markerAt = messages.findIndex((m) => m.pieces.some((p) => p.section === INPUT_SECTION));
  if (markerAt >= 0) {
    const marked = messages[markerAt]!;
    const cut = marked.pieces.findIndex((p) => p.section === INPUT_SECTION);
    const before = [...messages.slice(0, markerAt).map((m) => textOf(m.pieces)), textOf(marked.pieces.slice(0, cut))];
    const after = [textOf(marked.pieces.slice(cut + 1)), ...messages.slice(markerAt + 1).map((m) => textOf(m.pieces))];
    return { instruction: joinTexts(before), input: joinTexts(after), output };
  }
  const system = messages.filter((m) => m.role === 'system');
  if (system.length > 0) {
    return {
      instruction: joinTexts(system.map((m) => textOf(m.pieces))),
      input: joinTexts(messages.filter((m) => m.role !== 'system').map((m) => textOf(m.pieces))),
      output,
    };
  }
  return { instruction: joinTexts(messages.map((m) => textOf(m.pieces))), input: '', output };
}

function chatRecord(messages: { role: Message['role']; pieces: Piece[] }[], output: string): ChatRecord {
  const out: ChatRecord['messages'] = [];
  for (const m of messages) {
    const content = textOf(m.pieces);
    if (content === '') continue;
    out.push({ role: m.role === 'model' ? 'assistant' : m.role, content });
  }
  out.push({ role: 'assistant', content: output });
  return { messages: out };
}
