// End-to-end tests start the built apps as processes and wait for them. Every wait ends as
// soon as its state is reached; this bound is for a loaded machine, where boots are slow.
jest.setTimeout(180_000);
