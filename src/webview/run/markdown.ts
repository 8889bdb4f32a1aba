import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Model output as Markdown, sanitized by DOMPurify before it touches the DOM. Links cannot run
 * script (`javascript:` is dropped by the sanitizer) and open nothing inside the webview.
 */
export function renderMarkdown(target: HTMLElement, source: string): void {
  const html = marked.parse(source, { async: false, gfm: true }) as string;
  const clean = DOMPurify.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe'], FORBID_ATTR: ['style'] });
  target.innerHTML = clean;
  for (const a of Array.from(target.querySelectorAll('a'))) {
    a.setAttribute('rel', 'noreferrer noopener');
    a.removeAttribute('target');
  }
}
