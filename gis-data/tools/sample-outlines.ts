/**
 * Hand-drawn outlines for the sample data, from geographic knowledge only (never traced, simplified or
 * otherwise derived from licensed boundary data). Counter-clockwise, [lon, lat], open rings.
 *
 * Province: A Pa Chải tripoint (VN/LA/CN, ~102.144E 22.400N) in the west; the Lao border running
 * south-east past Nậm Pồ and the Mường Thanh valley (Tây Trang ~102.89E 21.26N) to the southern tip
 * below Mường Nhà; Sơn La (Sông Mã, Thuận Châu, Quỳnh Nhai) to the east; the Đà river and Lai Châu to
 * the north-east and north; the short Chinese border north of Sín Thầu. Accuracy: a few kilometres.
 */
import type { LonLat } from './planar-tessellation.ts';

export const provinceOutline: readonly LonLat[] = [
  // A Pa Chải, then the Lao border south-east (Mường Nhé, Nậm Pồ)
  [102.144, 22.4], [102.178, 22.352], [102.214, 22.318], [102.262, 22.276], [102.318, 22.232],
  [102.372, 22.19], [102.424, 22.146], [102.468, 22.1], [102.512, 22.058], [102.553, 22.012],
  [102.59, 21.966], [102.618, 21.912], [102.645, 21.858], [102.662, 21.8], [102.676, 21.742],
  [102.702, 21.69], [102.742, 21.64], [102.778, 21.594], [102.808, 21.545], [102.834, 21.496],
  // west of the Mường Thanh valley, Tây Trang, then south to Mường Nhà / Mường Lói
  [102.852, 21.446], [102.866, 21.396], [102.878, 21.344], [102.884, 21.298], [102.894, 21.262],
  [102.912, 21.222], [102.934, 21.176], [102.952, 21.128], [102.974, 21.08], [102.998, 21.034],
  [103.028, 20.99], [103.062, 20.948], [103.098, 20.912], [103.136, 20.882],
  // southern edge (Lao border) east to Sơn La, then north along Sông Mã / Thuận Châu
  [103.176, 20.898], [103.214, 20.93], [103.252, 20.968], [103.296, 21.02], [103.34, 21.072],
  [103.384, 21.108], [103.43, 21.14], [103.466, 21.18], [103.462, 21.236], [103.438, 21.29],
  [103.41, 21.34], [103.39, 21.4], [103.42, 21.45], [103.47, 21.49], [103.52, 21.53],
  // Pha Đin, the eastern edge with Sơn La, then Quỳnh Nhai and the Đà river
  [103.556, 21.572], [103.59, 21.62], [103.578, 21.68], [103.586, 21.74], [103.572, 21.8],
  [103.536, 21.852], [103.514, 21.902], [103.486, 21.948], [103.448, 21.982], [103.402, 22.01],
  // north edge: Tủa Chùa and Mường Lay on the Đà, then west along Lai Châu (Nậm Nhùn, Mường Tè)
  [103.352, 22.038], [103.298, 22.062], [103.246, 22.086], [103.2, 22.108], [103.158, 22.128],
  [103.112, 22.13], [103.064, 22.116], [103.012, 22.1], [102.96, 22.094], [102.908, 22.104],
  [102.858, 22.126], [102.808, 22.15], [102.752, 22.186], [102.7, 22.22], [102.65, 22.26],
  [102.6, 22.3], [102.55, 22.34], [102.5, 22.39], [102.46, 22.44], [102.42, 22.49],
  // northernmost point near the Lai Châu / China junction, then the Chinese border back to A Pa Chải
  [102.378, 22.548], [102.332, 22.536], [102.29, 22.512], [102.25, 22.486], [102.214, 22.46],
  [102.182, 22.432], [102.158, 22.414],
];

/**
 * Thành phố Điện Biên Phủ before 2025-07-01: the city in the Mường Thanh valley plus the hill
 * communes Thanh Minh, Nà Nhạn (north on QL12), Pá Khoang, Mường Phăng (north-east) and Nà Tấu
 * (north-east on QL279). Accuracy: a few kilometres.
 */
export const tpDienBienPhuOutline: readonly LonLat[] = [
  [102.99, 21.372], [103.01, 21.36], [103.035, 21.362], [103.06, 21.372], [103.09, 21.39],
  [103.13, 21.4], [103.17, 21.42], [103.195, 21.45], [103.2, 21.49], [103.19, 21.53],
  [103.17, 21.56], [103.14, 21.57], [103.1, 21.56], [103.06, 21.53], [103.03, 21.505],
  [103.01, 21.475], [102.998, 21.44], [102.99, 21.405],
];
