/**
 * The default script chooser: markers in the prompt pick the scenario, the same markers the fake model
 * behind the recorded transcripts understood (real-cli.md §3), so the recorded prompts replay the
 * recorded scenarios against the fake agent:
 *
 * | marker | scenario |
 * |---|---|
 * | (none) | the recorded plain answer, in 8-character chunks |
 * | `[[tool NAME {json}]]` | a call of tool NAME with those arguments, then "Tool NAME returned: <result>" |
 * | `[[chunks N]]` | N deltas of the prompt's words, numbered: `Count-1`, ` for-2`, ... (`[[pace MS]]` apart, default at once) |
 * | `[[slow N MS]]` | N deltas "s0 ", "s1 ", ..., one every MS milliseconds |
 * | `[[http400]]` or `[[http 400]]`, ... | `session.error` with that status code |
 * | `[[http429]]` or `[[http 429]]` | a rate limit with an auto-mode-switch prompt |
 * | `[[reasoning]]` or `[[reasoning N]]` | reasoning deltas (N of them) before the plain answer |
 * | `[[compact]]` | the plain answer with background compaction |
 * | `[[hang]]` | one delta, then nothing until the message is aborted |
 * | `[[crash]]` or `[[crash CODE]]` | the agent dies after two deltas |
 * | `[[elicit MESSAGE]]` | an elicitation asking MESSAGE, then "Elicitation answered: <result>" |
 *
 * The spaced forms are those of the scripted model endpoint (`parseScenarioMarkers`), so a prompt
 * written for the real CLI behind that endpoint picks the same scenario here; `[[chunks N]]` and
 * `[[hang]]` even stream the endpoint's very text, so one test can assert the same answer on both.
 */
import { derivedAnswerChunks } from '../../modelEndpoint/answerText.js';
import { callTool, crash, elicit, hang, queryError, rateLimit, reply, turn } from './dsl.js';
import type { ScriptChooser, TurnScript } from './TurnScript.js';

/** The answer the recorded fake model gave to a prompt without markers. */
export const PLAIN_ANSWER = 'Hello from the fake model. This answer is streamed in small chunks so the client sees several deltas.';

export const scriptFromPrompt: ScriptChooser = (prompt) => {
  // Greedy to the last "]]", so nested JSON (which may contain "]]") stays whole.
  const tool = /\[\[tool (\S+?)(?: (.*))?\]\]/s.exec(prompt);
  if (tool?.[1] !== undefined) return toolScript(tool[1], tool[2]);
  const elicitation = /\[\[elicit (.+?)\]\]/s.exec(prompt);
  if (elicitation?.[1] !== undefined) {
    return turn([elicit(elicitation[1]), reply((outcomes) => `Elicitation answered: ${outcomes[outcomes.length - 1]?.content ?? ''}`)]);
  }
  const pace = Number(/\[\[pace (\d+)\]\]/.exec(prompt)?.[1] ?? 0);
  const chunks = /\[\[chunks (\d+)\]\]/.exec(prompt);
  if (chunks?.[1] !== undefined) return streamed(derivedAnswerChunks(prompt, Number(chunks[1])), pace);
  if (prompt.includes('[[hang]]')) return turn(hang({ partialText: derivedAnswerChunks(prompt, 1).join(''), chunks: 1 }));
  const slow = /\[\[slow (\d+) (\d+)\]\]/.exec(prompt);
  if (slow?.[1] !== undefined && slow[2] !== undefined) return streamed(numbered('s', Number(slow[1])), Number(slow[2]));
  const http = /\[\[http ?(\d{3})\]\]/.exec(prompt);
  if (http?.[1] === '429') return turn(rateLimit());
  if (http?.[1] !== undefined) return turn(queryError(Number(http[1])));
  const crashed = /\[\[crash(?: (\d+))?\]\]/.exec(prompt);
  if (crashed) return turn(crash({ exitCode: Number(crashed[1] ?? 1), partialText: 'Hello from', chunks: 2 }));
  const reasoning = /\[\[reasoning(?: (\d+))?\]\]/.exec(prompt);
  if (reasoning) {
    const text = 'The user wants a greeting. I will answer briefly.';
    return turn(reply(PLAIN_ANSWER, { reasoning: { text, ...(reasoning[1] === undefined ? {} : { chunks: Number(reasoning[1]) }) } }));
  }
  if (prompt.includes('[[compact]]')) return turn(reply(PLAIN_ANSWER), { compaction: true });
  return turn(reply(PLAIN_ANSWER));
};

function toolScript(name: string, json: string | undefined): TurnScript {
  let args: Record<string, unknown> = {};
  if (json !== undefined) {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new TypeError(`[[tool ${name} ...]] needs a JSON object of arguments. Got ${json}`);
    }
    args = parsed as Record<string, unknown>;
  }
  return turn([callTool(name, args), reply((tools) => `Tool ${name} returned: ${tools[tools.length - 1]?.content ?? ''}`)]);
}

function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i} `);
}

function streamed(chunks: readonly string[], paceMs: number): TurnScript {
  return turn(reply(chunks.join(''), { chunks, paceMs }));
}
