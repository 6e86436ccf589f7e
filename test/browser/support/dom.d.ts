// The few browser globals the tests' page.evaluate callbacks name (they run in the page, not in
// Node). Declared loosely here rather than adding lib "dom" to the whole project's type check.
declare const document: any;
declare const window: any;
declare const sessionStorage: any;
declare const localStorage: any;
declare const navigator: any;
declare const indexedDB: any;
declare type Document = any;
