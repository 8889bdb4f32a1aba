// Finds user-visible English written into webview code: a string literal (or the fixed text of
// a template literal) that reaches a place the user sees or hears: textContent, title,
// placeholder, an ARIA label, the text argument of el()/make()/button()/svg(), append().
// Strings must come from the host's strings table (t('key')) instead.

/** The fixed parts of a literal's text: what stays when `${…}` holes are taken out. */
function fixedText(literal: string): string {
  return literal.slice(1, -1).replace(/\$\{[^}]*\}/g, ' ');
}

/** Words a user would read: two letters or more (symbols, numbers and single letters pass). */
const WORDS = /[A-Za-z]{2,}/;

const LITERAL = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|` + '`(?:[^`\\\\]|\\\\.)*`)';

const SINKS: RegExp[] = [
  new RegExp(String.raw`\.(?:textContent|innerText|title|placeholder|ariaLabel|alt)\s*=\s*${LITERAL}`, 'g'),
  new RegExp(String.raw`\.(?:textContent|innerText|title|placeholder|ariaLabel)\s*=\s*[^;\n]*?\?\s*${LITERAL}`, 'g'),
  new RegExp(String.raw`\.(?:textContent|innerText|title|placeholder|ariaLabel)\s*=\s*[^;\n]*?:\s*${LITERAL}`, 'g'),
  new RegExp(
    String.raw`setAttribute\(\s*'(?:aria-label|aria-description|aria-roledescription|aria-valuetext|title|placeholder|alt)'\s*,\s*${LITERAL}`,
    'g',
  ),
  // el(tag, className, text, …) and svg(tag, attributes, parent, text)
  new RegExp(String.raw`\bel\(\s*'[\w-]+'\s*,\s*[^,()]*,\s*${LITERAL}`, 'g'),
  new RegExp(String.raw`\bsvg\(\s*'[\w-]+'\s*,\s*[^;]*?,\s*\w+\s*,\s*${LITERAL}\s*\)`, 'g'),
  new RegExp(String.raw`\bbutton\(\s*${LITERAL}`, 'g'),
  new RegExp(String.raw`\.(?:append|prepend|createTextNode)\(\s*(?:[^()]*,\s*)?${LITERAL}`, 'g'),
];

export interface Finding {
  line: number;
  text: string;
}

/** Every English literal that reaches a user-visible sink in one file's source. */
export function englishLiterals(source: string): Finding[] {
  const found = new Map<number, Finding>();
  for (const sink of SINKS) {
    for (const match of source.matchAll(sink)) {
      const literal = match[1]!;
      if (!WORDS.test(fixedText(literal))) continue;
      const at = match.index + match[0].lastIndexOf(literal);
      const line = source.slice(0, at).split('\n').length;
      found.set(at, { line, text: literal.length > 80 ? `${literal.slice(0, 77)}…` : literal });
    }
  }
  return [...found.values()].sort((a, b) => a.line - b.line);
}
