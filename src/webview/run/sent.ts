import type { RunSent } from '../../shared/protocol';
import { t, tCount } from '../common/l10n';
import { make } from './layout';
import { pairs, renderTurns } from './preview';

/**
 * "Inputs & prompt" of a saved run: the inputs it was rendered with and the messages it sent, as
 * its history record keeps them, so a run reopened from History can be read without its file
 * (which may have changed since). Folded by default: the output stays first.
 */
export function renderSent(details: HTMLDetailsElement, sent: RunSent | undefined): void {
  details.hidden = sent === undefined;
  const summary = details.querySelector('summary')!;
  const body = details.querySelector('.sent-body') as HTMLElement;
  body.replaceChildren();
  if (!sent) return;
  const inputs = Object.entries(sent.inputs ?? {});
  summary.textContent = [
    t('sentHeading'),
    inputs.length === 0 ? t('sentNoInputs') : tCount(inputs.length, 'inputsOne', 'inputsMany'),
    tCount(sent.turns.length, 'sentMessageOne', 'sentMessagesCount'),
  ].join(' · ');
  if (inputs.length > 0) pairs(body, 'sent-inputs', t('sentInputs'), sent.inputs);
  const messages = make('div', 'sent-messages', body);
  messages.setAttribute('aria-label', t('sentMessages'));
  renderTurns(messages, sent.turns);
}
