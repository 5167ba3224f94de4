/**
 * MeshBuilder → GLB with glTF Transform: one node, one mesh, one primitive per material; ENU
 * geometry converted to glTF's y-up (x east, y up, z south) so that the 3D Tiles y-up → z-up
 * rotation puts it back in the east-north-up tile frame. Vertex attributes are quantised
 * (KHR_mesh_quantization, readable by three.js's GLTFLoader without a decoder).
 */
import { Document, type Extension, Logger, NodeIO } from '@gltf-transform/core';
import { dedup, prune, quantize, weld } from '@gltf-transform/functions';
import { Y_UP_TO_Z_UP, transformPoint, type Vec3 } from './geodesy.ts';
import { boundsOf, parseGltf, scenePositions } from './gltf-read.ts';
import { linearRgb, type MeshBuilder } from './mesh-builder.ts';

/** Builds the GLB bytes of a builder's geometry. `name` ends up as the mesh/node name. */
export async function writeGlb(builder: MeshBuilder, name: string): Promise<Uint8Array> {
  const document = new Document().setLogger(new Logger(Logger.Verbosity.WARN));
  document.getRoot().getAsset().generator = 'bandoso heritage generator (glTF Transform)';
  const buffer = document.createBuffer();
  const mesh = document.createMesh(name);
  for (const group of builder.meshGroups()) {
    const { material: spec } = group;
    const [r, g, b] = linearRgb(spec.color);
    const material = document
      .createMaterial(spec.name)
      .setBaseColorFactor(spec.vertexColors ? [1, 1, 1, 1] : [r, g, b, 1])
      .setRoughnessFactor(spec.roughness)
      .setMetallicFactor(spec.metallic)
      .setDoubleSided(spec.doubleSided === true);
    const count = group.positions.length / 3;
    const positions = new Float32Array(count * 3);
    const normals = new Float32Array(count * 3);
    for (let i = 0; i < count; i++) {
      // ENU (e, n, u) → glTF (e, u, −n)
      positions[i * 3] = group.positions[i * 3]!;
      positions[i * 3 + 1] = group.positions[i * 3 + 2]!;
      positions[i * 3 + 2] = -group.positions[i * 3 + 1]!;
      normals[i * 3] = group.normals[i * 3]!;
      normals[i * 3 + 1] = group.normals[i * 3 + 2]!;
      normals[i * 3 + 2] = -group.normals[i * 3 + 1]!;
    }
    const primitive = document
      .createPrimitive()
      .setMaterial(material)
      .setAttribute('POSITION', document.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer))
      .setAttribute('NORMAL', document.createAccessor().setType('VEC3').setArray(normals).setBuffer(buffer))
      .setIndices(
        document
          .createAccessor()
          .setType('SCALAR')
          .setArray(count < 65_536 ? Uint16Array.from(group.indices) : Uint32Array.from(group.indices))
          .setBuffer(buffer),
      );
    if (spec.vertexColors) primitive.setAttribute('COLOR_0', document.createAccessor().setType('VEC3').setArray(Float32Array.from(group.colors)).setBuffer(buffer));
    mesh.addPrimitive(primitive);
  }
  const node = document.createNode(name).setMesh(mesh);
  document.createScene(name).addChild(node);
  document.getRoot().setDefaultScene(document.getRoot().listScenes()[0]!);
  await document.transform(
    dedup(),
    weld(),
    // 14-bit positions: ≤ 1.5 cm steps over a 200 m tile; 8-bit normals and colours.
    quantize({ quantizePosition: 14, quantizeNormal: 8, quantizeColor: 8 }),
    prune(),
  );
  // quantize() adds KHR_mesh_quantization to the document; register the extensions it uses (by their
  // constructors) so that NodeIO writes them.
  const used = document.getRoot().listExtensionsUsed().map((extension) => extension.constructor as typeof Extension);
  return new NodeIO().registerExtensions(used).writeBinary(document);
}

/** Bounds of a GLB's vertices in the tile frame (z-up, after the y-up → z-up rotation). */
export function tileFrameBounds(glb: Uint8Array): { min: Vec3; max: Vec3 } {
  const { positions } = scenePositions(parseGltf(glb));
  const tile: number[] = [];
  for (let i = 0; i < positions.length; i += 3) tile.push(...transformPoint(Y_UP_TO_Z_UP, [positions[i]!, positions[i + 1]!, positions[i + 2]!]));
  return boundsOf(tile);
}
