// Headless host: comes with the engine.
export {}
