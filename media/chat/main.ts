// filled in by the webview work
export {};
