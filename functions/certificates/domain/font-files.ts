/**
 * Which font files the certificate reads (fonts.ts), kept free of fontkit so the route table
 * and the bundler (lib/bundling.ts prunes each @fontsource package to these files) can use it.
 * All @fontsource 5.3.0 (SIL OFL), WOFF 1, regular and bold.
 */
export type FaceId =
  | 'latin'
  | 'latinExt'
  | 'devanagari'
  | 'bengali'
  | 'gurmukhi'
  | 'gujarati'
  | 'oriya'
  | 'tamil'
  | 'telugu'
  | 'kannada'
  | 'malayalam'
  | 'arabic';
export type FontWeight = 400 | 700;

/** Package and file name prefix of each face (`<prefix>-<weight>-normal.woff` in `<pkg>/files`). */
export const FACE_FILES: Readonly<Record<FaceId, { pkg: string; prefix: string }>> = {
  devanagari: { pkg: '@fontsource/noto-sans-devanagari', prefix: 'noto-sans-devanagari-devanagari' },
  bengali: { pkg: '@fontsource/noto-sans-bengali', prefix: 'noto-sans-bengali-bengali' },
  gurmukhi: { pkg: '@fontsource/noto-sans-gurmukhi', prefix: 'noto-sans-gurmukhi-gurmukhi' },
  gujarati: { pkg: '@fontsource/noto-sans-gujarati', prefix: 'noto-sans-gujarati-gujarati' },
  oriya: { pkg: '@fontsource/noto-sans-oriya', prefix: 'noto-sans-oriya-oriya' },
  tamil: { pkg: '@fontsource/noto-sans-tamil', prefix: 'noto-sans-tamil-tamil' },
  telugu: { pkg: '@fontsource/noto-sans-telugu', prefix: 'noto-sans-telugu-telugu' },
  kannada: { pkg: '@fontsource/noto-sans-kannada', prefix: 'noto-sans-kannada-kannada' },
  malayalam: { pkg: '@fontsource/noto-sans-malayalam', prefix: 'noto-sans-malayalam-malayalam' },
  arabic: { pkg: '@fontsource/noto-naskh-arabic', prefix: 'noto-naskh-arabic-arabic' },
  latin: { pkg: '@fontsource/noto-sans', prefix: 'noto-sans-latin' },
  latinExt: { pkg: '@fontsource/noto-sans', prefix: 'noto-sans-latin-ext' },
};

export const fontFileName = (face: FaceId, weight: FontWeight): string => `${FACE_FILES[face].prefix}-${weight}-normal.woff`;

/** The font packages, shipped as node modules beside the certificate bundles. */
export const CERTIFICATE_FONT_PACKAGES = [...new Set(Object.values(FACE_FILES).map((f) => f.pkg))];

/** Package → the files of it the certificates read (paths inside the package). */
export function certificateFontFiles(): Record<string, string[]> {
  const files: Record<string, string[]> = {};
  for (const face of Object.keys(FACE_FILES) as FaceId[]) {
    const { pkg } = FACE_FILES[face];
    files[pkg] = [...(files[pkg] ?? []), ...([400, 700] as const).map((weight) => `files/${fontFileName(face, weight)}`)];
  }
  return files;
}
