declare module 'qrcode/lib/core/qrcode' {
  export const create: typeof import('qrcode').create;
}
