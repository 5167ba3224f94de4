/** exifr's lite build (JPEG and HEIC, TIFF/EXIF/GPS): same API as the package's main entry. */
declare module 'exifr/dist/lite.esm.mjs' {
  import exifr from 'exifr';
  export default exifr;
}
