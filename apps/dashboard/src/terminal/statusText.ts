import type { StreamMetrics, TokenCount } from '@copilot-rx/operators';

export interface StatusInputs {
  readonly tokens: TokenCount | undefined;
  readonly metrics: StreamMetrics | undefined;
  /** The tools running now, by name. */
  readonly tools: readonly string[];
}

/** The status line: output tokens, tokens per second, and the tool in progress. */
export function statusText({ tokens, metrics, tools }: StatusInputs): string {
  const parts = [`${tokens?.estimatedOutputTokens ?? 0} tokens`];
  if (metrics?.tokensPerSecond !== undefined) parts.push(`${metrics.tokensPerSecond.toFixed(1)} tok/s`);
  if (metrics?.timeToFirstTokenMs !== undefined) parts.push(`TTFT ${Math.round(metrics.timeToFirstTokenMs)} ms`);
  parts.push(tools.length > 0 ? `running ${tools.join(', ')}` : 'streaming');
  return parts.join(' · ');
}
