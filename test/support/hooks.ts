import { startStack, type Stack } from "./stack";

// Kept on globalThis: the runner and the test files may load this module as two instances.
const holder = globalThis as { __flashsaleStack?: Stack };

/** The stack most suites share (API + 2 workers); suites that break things start their own. */
export function stack(): Stack {
  if (!holder.__flashsaleStack) throw new Error("the shared stack is not running");
  return holder.__flashsaleStack;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    holder.__flashsaleStack = await startStack({ workers: 2 });
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await holder.__flashsaleStack?.stop();
  },
};
