let rerender: () => void = () => {};

export function setRerender(fn: () => void): void {
  rerender = fn;
}

/** navigate goes to a hash route, re-rendering if it is already current. */
export function navigate(hash: string): void {
  if (location.hash === hash) rerender();
  else location.hash = hash;
}
