/**
 * The offline demo's answers: a few topics a newcomer is likely to ask about, each with the reasoning
 * a model would show first and the answer itself. Written to read like a real model's reply, since the
 * demo is the first thing a user sees; a prompt is matched to a topic by `keywords` (see demoAnswer).
 */

/** One topic of the demo corpus. */
export interface DemoTopic {
  /** A short name, for tests and logs. */
  readonly id: string;
  /** Lower-case word stems; a prompt word starting with one of them counts as a hit. */
  readonly keywords: readonly string[];
  /** What the model "thinks" before answering, streamed as reasoning. */
  readonly reasoning: string;
  /** The answer; paragraphs separated by a blank line. */
  readonly answer: string;
}

/** Answered when no topic matches: honest about being the demo, and useful anyway. */
export const FALLBACK_TOPIC: DemoTopic = {
  id: 'fallback',
  keywords: [],
  reasoning:
    "The question doesn't match anything I have a prepared answer for. I should say what I can talk about and how to reach a real model, rather than make something up.",
  answer:
    "I'm the offline demo model that ships with copilot-rx, so I can only answer from a handful of prepared topics: RxJS Observables, streaming answers to a browser, tool calls, TypeScript, testing, and the Copilot CLI's JSON-RPC protocol.\n\n" +
    'Everything you see here went through the real Copilot CLI: your prompt, the streamed deltas, the usage figures and the idle at the end. Only the model behind it is scripted. Ask about one of those topics for a longer answer, or run with --live to talk to the Copilot service.',
};

/**
 * Ordered from the most specific to the most general: a prompt gets the first topic it mentions, so
 * the CLI's compaction request gets a summary, "an essay on reactive streams" is the essay, not the
 * Observables answer, and "hello, what is an Observable?" is not a greeting.
 */
export const DEMO_TOPICS: readonly DemoTopic[] = [
  {
    // The CLI's own request when it compacts a long session ("The history is being compacted...").
    id: 'summary',
    keywords: ['compacted'],
    reasoning:
      'The conversation is being compacted, so I need a faithful summary: what the user asked, what I answered, and what matters for the next turns. No new content.',
    answer:
      '<overview>\nThe user is trying out copilot-rx offline and asked for explanations of reactive streams and related topics; each answer came from prepared material.\n</overview>\n\n' +
      '<history>\n1. The user asked for an explanation or an essay; I answered in prose, streamed in small chunks.\n2. Follow-up requests repeated or extended the same topics.\n</history>\n\n' +
      '<work_done>\nNo files were changed and no tools were run; the conversation was explanation only.\n</work_done>\n\n' +
      '<technical_details>\nObservables are lazy and cancellable; operators compose pipelines; streamed answers need backpressure and teardown on disconnect.\n</technical_details>',
  },
  {
    id: 'essay',
    keywords: ['essay', 'article', 'story'],
    reasoning:
      'The user wants an essay on reactive streams. A good structure: start with the problem streams solve, then the core abstraction, then operators and composition, then backpressure and cancellation, and close with why this fits AI answers that arrive token by token. I should keep each paragraph focused on one idea.',
    answer:
      'Most programs spend their lives waiting: for a click, for a file, for a server, for a model to finish its sentence. For a long time the tools for that waiting were callbacks and promises, and both answer the same narrow question: what happens when one thing is ready? Reactive streams answer a wider one: what happens as many things arrive over time?\n\n' +
      'The core idea is small. An Observable is a function that, once subscribed, pushes values to an observer until it completes or fails. Nothing runs before someone subscribes, and unsubscribing tears everything down. That one contract covers a single HTTP response, an endless feed of mouse moves and a language model streaming its answer in fragments.\n\n' +
      "The power comes from operators. Because every stream has the same shape, small functions can be composed into pipelines: map each delta to text, scan the fragments into a growing answer, buffer them to one update per animation frame, time out if the first token never comes. Each operator does one thing, and the pipeline reads top to bottom like a description of the behaviour you want.\n\n" +
      'Two hazards deserve respect. The first is pace: a producer can outrun its consumer, so a well-built pipeline decides what to do with the excess, whether that means dropping, coalescing or refusing. The second is teardown: a user who closes the tab should stop the work upstream, not merely stop listening to it. Observables make both explicit, which is exactly why they suit long-running, cancellable work.\n\n' +
      'A streamed AI answer is the textbook case. Tokens arrive unevenly, several views want the same answer at once, tools interrupt the flow, and the whole turn must be abortable at any moment. Modelled as a stream of typed events, all of that becomes a handful of operators, and the hard parts stop being special cases.',
  },
  {
    id: 'websocket',
    keywords: ['websocket', 'browser', 'sse', 'socket', 'eventsource'],
    reasoning:
      'This is about getting a streamed answer to a browser. The two usual transports are Server-Sent Events and WebSockets; I should compare them briefly and mention cancellation, since that is where most implementations go wrong.',
    answer:
      "To stream an answer to a browser you have two good options. Server-Sent Events are the simpler one: a plain HTTP response that stays open, one event per chunk, with automatic reconnection built into the browser's EventSource. WebSockets cost a little more to set up but carry messages both ways, which helps when the client also sends prompts or cancels.\n\n" +
      'Whichever you choose, tie the lifetime of the turn to the connection. When the client disconnects, unsubscribe from the answer so the work upstream is aborted, and bound the buffer between the model and a slow client, so one stalled tab cannot hold memory forever.',
  },
  {
    id: 'tools',
    keywords: ['tool', 'tools', 'function', 'permission', 'weather'],
    reasoning:
      "The user wants to know how tools work. I'll walk through the round trip: the model asks for a call, the client validates the arguments and runs it, the result goes back to the model. Permissions deserve a mention because they're denied by default.",
    answer:
      'A tool call is a round trip. The model decides it needs something it cannot know, such as the weather in Paris, and asks for a call by name with JSON arguments. Your client validates those arguments, runs the tool and sends the result back, and the model then continues its answer with the new information.\n\n' +
      "Before a tool runs, the Copilot CLI asks the client for permission. copilot-rx denies every request unless your handler approves it, so a good handler approves exactly the tools you defined and nothing else. I can't check live data from here, but with a real tool behind the call you'd see its result woven into the answer.",
  },
  {
    id: 'testing',
    keywords: ['test', 'tests', 'testing', 'marble', 'jest', 'mock'],
    reasoning:
      "The question is about testing streaming code. Marble tests are the idiomatic answer for RxJS; I should also mention testing against a scripted backend, since that's how you test the integration without a real model.",
    answer:
      'Streaming code is easiest to test with virtual time. RxJS marble tests draw each stream as a string of frames, so you can assert that a pipeline emits the right values at the right moments, including timeouts, without waiting for a real clock.\n\n' +
      "For the integration itself, run the real client against a scripted backend. copilot-rx's testing package offers a fake agent for fast unit tests and a scripted model endpoint that lets the real Copilot CLI stream offline, so the same test runs in CI with no account and no network.",
  },
  {
    id: 'protocol',
    keywords: ['protocol', 'json', 'rpc', 'cli', 'copilot', 'framing'],
    reasoning:
      "The user is asking about the Copilot CLI's protocol. I'll describe the framing, the handshake and the shape of a turn, in the order a client meets them.",
    answer:
      'The Copilot CLI speaks JSON-RPC 2.0 over stdio or TCP, each message framed by a Content-Length header like the Language Server Protocol. A client first sends connect to agree on the protocol version, then session.create, then session.send with a prompt.\n\n' +
      "From there the CLI pushes session.event notifications: the user message, reasoning and message deltas, tool requests, usage, and finally session.idle when the turn is done. Tool calls and permission prompts arrive as events too, and the client answers them with their own requests, so the CLI never blocks on a reply it can't get.",
  },
  {
    id: 'typescript',
    keywords: ['typescript', 'type', 'types', 'generic', 'interface'],
    reasoning:
      'A TypeScript question. The most useful framing is what the type system buys you at the boundary of a program, where untyped data comes in, and why runtime validation still matters there.',
    answer:
      "TypeScript adds a static type system on top of JavaScript: it checks at compile time that values are used the way their types say, then erases the types, so the output is ordinary JavaScript. Its structural typing means an object fits a type if it has the right shape, whatever it's called.\n\n" +
      "Types stop at the edge of your program, though. Data from a socket, a file or a model is only as typed as the code that checks it, which is why libraries like io-ts pair a runtime codec with the static type derived from it: one definition, checked both ways.",
  },
  {
    id: 'observables',
    keywords: ['observable', 'rxjs', 'reactive', 'stream', 'subscribe', 'operator', 'subject'],
    reasoning:
      "The user is asking about Observables. I'll define one in plain terms, contrast it with a Promise, since that's the comparison most people have in mind, and then show why operators matter.",
    answer:
      'An Observable is a lazy stream of values over time: nothing happens until you subscribe, and from then on it can emit any number of values before it completes or errors. Unlike a Promise, which settles once with a single value, an Observable can keep delivering values and can be cancelled by unsubscribing.\n\n' +
      'That makes it a natural fit for anything that arrives piece by piece, such as user input, WebSocket messages or a model streaming its answer. Operators like map, filter, scan and switchMap let you transform those streams declaratively, and because each operator returns a new Observable, you can compose them into pipelines that stay readable as they grow.',
  },
  {
    id: 'greeting',
    keywords: ['hello', 'hi', 'hey', 'greet', 'morning'],
    reasoning: 'A greeting. A short, friendly reply is enough here; no need for a long explanation.',
    answer:
      "Hello! I'm the offline demo model, streaming to you through the real Copilot CLI. Ask me about Observables, tools or the protocol and I'll show you a longer answer.",
  },
];
