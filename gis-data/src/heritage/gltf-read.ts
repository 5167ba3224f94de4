/**
 * Just enough glTF reading to check a tileset's bounding volumes: parse a GLB / glTF JSON, walk the
 * default scene's nodes and return every mesh vertex position in the glTF scene frame (y-up),
 * with node transforms and KHR_mesh_quantization (normalized integer positions) applied.
 *
 * Compressed geometry (Draco, meshopt) is not decoded: those primitives report the eight corners
 * of their POSITION accessor's min/max box instead (glTF requires min/max on POSITION) and are
 * marked `approximate`.
 */
import { composeTrs, identity, type Mat4, multiply, transformPoint, type Vec3 } from './geodesy.ts';

/** A parsed glTF: its JSON and the bytes of its buffers (index → bytes; undefined when missing). */
export interface ParsedGltf {
  json: GltfJson;
  buffers: (Uint8Array | undefined)[];
}

interface GltfAccessor {
  bufferView?: number;
  byteOffset?: number;
  componentType: number;
  normalized?: boolean;
  count: number;
  type: string;
  min?: number[];
  max?: number[];
  sparse?: { count: number; indices: { bufferView: number; byteOffset?: number; componentType: number }; values: { bufferView: number; byteOffset?: number } };
}
interface GltfNode {
  children?: number[];
  mesh?: number;
  matrix?: number[];
  translation?: number[];
  rotation?: number[];
  scale?: number[];
}
export interface GltfJson {
  asset?: { version?: string };
  scene?: number;
  scenes?: { nodes?: number[] }[];
  nodes?: GltfNode[];
  meshes?: { primitives: { attributes: Record<string, number>; extensions?: Record<string, unknown> }[] }[];
  accessors?: GltfAccessor[];
  bufferViews?: { buffer: number; byteOffset?: number; byteLength: number; byteStride?: number; extensions?: Record<string, unknown> }[];
  buffers?: { uri?: string; byteLength: number }[];
  extensionsUsed?: string[];
}

const GLB_MAGIC = 0x46546c67; // 'glTF'
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;

export function isGlb(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 12 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === GLB_MAGIC;
}

/**
 * Parses a GLB, or glTF JSON whose external buffers `resolve` returns (data: URIs are decoded
 * here). Throws an Error with a short reason when the bytes are not glTF.
 */
export function parseGltf(bytes: Uint8Array, resolve: (uri: string) => Uint8Array | undefined = () => undefined): ParsedGltf {
  let json: GltfJson;
  let bin: Uint8Array | undefined;
  if (isGlb(bytes)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = view.getUint32(8, true);
    if (length > bytes.byteLength) throw new Error('GLB header length is larger than the file');
    let offset = 12;
    let jsonText: string | undefined;
    while (offset + 8 <= length) {
      const chunkLength = view.getUint32(offset, true);
      const chunkType = view.getUint32(offset + 4, true);
      const start = offset + 8;
      if (start + chunkLength > length) throw new Error('GLB chunk runs past the end of the file');
      const chunk = bytes.subarray(start, start + chunkLength);
      if (chunkType === CHUNK_JSON && jsonText === undefined) jsonText = new TextDecoder().decode(chunk);
      else if (chunkType === CHUNK_BIN && bin === undefined) bin = chunk;
      offset = start + chunkLength;
    }
    if (jsonText === undefined) throw new Error('GLB has no JSON chunk');
    json = JSON.parse(jsonText) as GltfJson;
  } else {
    json = JSON.parse(new TextDecoder().decode(bytes)) as GltfJson;
  }
  const buffers = (json.buffers ?? []).map((buffer, index) => {
    if (buffer.uri === undefined) return index === 0 ? bin : undefined;
    const data = /^data:[^,]*;base64,(.*)$/s.exec(buffer.uri);
    if (data) return new Uint8Array(Buffer.from(data[1]!, 'base64'));
    return resolve(buffer.uri);
  });
  return { json, buffers };
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };
const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };

function readComponent(view: DataView, offset: number, componentType: number, normalized: boolean): number {
  switch (componentType) {
    case 5126:
      return view.getFloat32(offset, true);
    case 5120: {
      const v = view.getInt8(offset);
      return normalized ? Math.max(v / 127, -1) : v;
    }
    case 5121: {
      const v = view.getUint8(offset);
      return normalized ? v / 255 : v;
    }
    case 5122: {
      const v = view.getInt16(offset, true);
      return normalized ? Math.max(v / 32767, -1) : v;
    }
    case 5123: {
      const v = view.getUint16(offset, true);
      return normalized ? v / 65535 : v;
    }
    case 5125:
      return view.getUint32(offset, true);
    default:
      throw new Error(`unknown accessor componentType ${componentType}`);
  }
}

function bufferViewBytes(gltf: ParsedGltf, index: number): { bytes: Uint8Array; stride: number | undefined } {
  const bufferView = gltf.json.bufferViews?.[index];
  if (!bufferView) throw new Error(`bufferView ${index} is missing`);
  if (bufferView.extensions && 'EXT_meshopt_compression' in bufferView.extensions) throw new Error('meshopt-compressed buffer view');
  const buffer = gltf.buffers[bufferView.buffer];
  if (!buffer) throw new Error(`buffer ${bufferView.buffer} is missing`);
  const start = bufferView.byteOffset ?? 0;
  if (start + bufferView.byteLength > buffer.byteLength) throw new Error(`bufferView ${index} runs past its buffer`);
  return { bytes: buffer.subarray(start, start + bufferView.byteLength), stride: bufferView.byteStride };
}

/** Reads a VEC3 accessor as numbers (normalized integers mapped to [-1, 1] / [0, 1]; sparse applied). */
export function readVec3Accessor(gltf: ParsedGltf, index: number): Float64Array {
  const accessor = gltf.json.accessors?.[index];
  if (!accessor) throw new Error(`accessor ${index} is missing`);
  const components = COMPONENTS[accessor.type] ?? 0;
  if (components !== 3) throw new Error(`accessor ${index} is ${accessor.type}, not VEC3`);
  const size = COMPONENT_BYTES[accessor.componentType];
  if (!size) throw new Error(`accessor ${index} has an unknown componentType`);
  const out = new Float64Array(accessor.count * 3);
  const normalized = accessor.normalized === true;
  if (accessor.bufferView !== undefined) {
    const { bytes, stride } = bufferViewBytes(gltf, accessor.bufferView);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const elementStride = stride ?? size * 3;
    const base = accessor.byteOffset ?? 0;
    if (accessor.count > 0 && base + (accessor.count - 1) * elementStride + size * 3 > bytes.byteLength) throw new Error(`accessor ${index} runs past its bufferView`);
    for (let i = 0; i < accessor.count; i++) {
      for (let c = 0; c < 3; c++) out[i * 3 + c] = readComponent(view, base + i * elementStride + c * size, accessor.componentType, normalized);
    }
  }
  if (accessor.sparse) {
    const { count, indices, values } = accessor.sparse;
    const indexBytes = bufferViewBytes(gltf, indices.bufferView).bytes;
    const indexView = new DataView(indexBytes.buffer, indexBytes.byteOffset, indexBytes.byteLength);
    const valueBytes = bufferViewBytes(gltf, values.bufferView).bytes;
    const valueView = new DataView(valueBytes.buffer, valueBytes.byteOffset, valueBytes.byteLength);
    const indexSize = COMPONENT_BYTES[indices.componentType] ?? 4;
    for (let i = 0; i < count; i++) {
      const target = readComponent(indexView, (indices.byteOffset ?? 0) + i * indexSize, indices.componentType, false);
      for (let c = 0; c < 3; c++) out[target * 3 + c] = readComponent(valueView, (values.byteOffset ?? 0) + (i * 3 + c) * size, accessor.componentType, normalized);
    }
  }
  return out;
}

export interface GltfPositions {
  /** World-space positions of the default scene (glTF frame, y-up), x,y,z interleaved. */
  positions: number[];
  /** Some primitives were compressed: their accessor's min/max box corners stand in for their vertices. */
  approximate: boolean;
}

/** Every vertex of the default scene (or scene 0), in the glTF frame with node transforms applied. */
export function scenePositions(gltf: ParsedGltf): GltfPositions {
  const { json } = gltf;
  const positions: number[] = [];
  let approximate = false;
  const sceneIndex = json.scene ?? 0;
  const roots = json.scenes?.[sceneIndex]?.nodes ?? (json.scenes?.length ? [] : (json.nodes ?? []).map((_, i) => i));
  const visit = (nodeIndex: number, parent: Mat4, depth: number) => {
    const node = json.nodes?.[nodeIndex];
    if (!node || depth > 64) return;
    const local = node.matrix?.length === 16 ? node.matrix : composeTrs(node.translation, node.rotation, node.scale);
    const world = multiply(parent, local);
    if (node.mesh !== undefined) {
      for (const primitive of json.meshes?.[node.mesh]?.primitives ?? []) {
        const accessorIndex = primitive.attributes.POSITION;
        if (accessorIndex === undefined) continue;
        const compressed = primitive.extensions !== undefined && 'KHR_draco_mesh_compression' in primitive.extensions;
        let values: Float64Array | undefined;
        if (!compressed) {
          try {
            values = readVec3Accessor(gltf, accessorIndex);
          } catch {
            values = undefined;
          }
        }
        if (!values) {
          const accessor = json.accessors?.[accessorIndex];
          if (!accessor?.min || !accessor.max) throw new Error(`POSITION accessor ${accessorIndex} can't be read and has no min/max`);
          approximate = true;
          const corners: number[] = [];
          for (let k = 0; k < 8; k++) corners.push(k & 1 ? accessor.max[0]! : accessor.min[0]!, k & 2 ? accessor.max[1]! : accessor.min[1]!, k & 4 ? accessor.max[2]! : accessor.min[2]!);
          values = Float64Array.from(corners);
        }
        for (let i = 0; i < values.length; i += 3) positions.push(...transformPoint(world, [values[i]!, values[i + 1]!, values[i + 2]!]));
      }
    }
    for (const child of node.children ?? []) visit(child, world, depth + 1);
  };
  for (const root of roots) visit(root, identity(), 0);
  return { positions, approximate };
}

/** Axis-aligned bounds of interleaved positions. */
export function boundsOf(positions: ArrayLike<number>): { min: Vec3; max: Vec3 } {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const v = positions[i + c]!;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  return { min, max };
}
