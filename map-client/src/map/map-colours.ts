/**
 * Colours of the map. Land-use colours follow gis-data/README.md ("suggested colour"), in the spirit
 * of Vietnamese planning-map conventions (not a legal standard).
 */
export const landUseColours: Readonly<Record<string, string>> = Object.freeze({
  DO: '#F9D976',
  TMDV: '#E8505B',
  CX: '#5DBB63',
  GD: '#F28C28',
  YT: '#D65DB1',
  GT: '#A6A6A6',
  HH: '#C8804A',
  DT: '#8B5A2B',
  CQ: '#B5473C',
  MN: '#5DADE2',
  CN: '#A78BCB',
});
export const otherLandUseColour = '#DDDDDD';

export const palette = Object.freeze({
  outside: '#dfe3dc',
  province: '#f4f1e8',
  provinceOutline: '#7a3b2e',
  communeOutline: '#8f8a7a',
  label: '#2e2b25',
  labelHalo: '#fbfaf6',
  heritage: { special_national: '#b3261e', national: '#d9822b', provincial: '#8d6e63' },
  /**
   * Camera health. Okabe–Ito / Tol colours that stay apart for the common colour-blindnesses, and
   * each status has its own shape too (cameras/camera-symbols.ts): colour is never the only cue.
   */
  camera: { online: '#0072b2', degraded: '#e69f00', offline: '#5a5a5a', maintenance: '#aa4499', fov: '#0072b2' },
  facility: { police: '#1a3d8f', fire: '#d84315', hospital: '#c2185b', clinic: '#ef6c9a' },
  report: { open: '#f9a825', resolved: '#2e7d32', overdue: '#c62828', rejected: '#757575', cluster: '#5e35b1' },
  highlight: '#0b5d3b',
  changed: '#e91e63',
  measure: '#0b5d3b',
});
