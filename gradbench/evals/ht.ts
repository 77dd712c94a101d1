/**
 * GradBench's `ht` eval (cpp/gradbench/evals/ht.hpp, after ADBench's hand tracking objective):
 * the distance between measured points and a skinned hand model posed by 26 parameters theta
 * (global rotation, global translation, then the finger angles).
 *
 * Matrices are column-major, as ADBench's LightMatrix: entry (i, j) of an r-row matrix at
 * offset o is m[o + j·r + i]. The model holds nBones 4 × 4 relative transforms and inverse base
 * absolutes (16 numbers each, one after the other), the base positions (4 × nVerts, homogeneous)
 * and the skinning weights (nBones × nVerts).
 *
 * objective: the "simple" variant, each point against the vertex it corresponds to.
 * objectiveComplicated: each point against a point of a triangle, placed by barycentric
 * coordinates us (2 a point) that are differentiated too.
 */

export interface HandModel {
  nBones: number;
  /** the parent of each bone (−1 for the root); a parent comes before its children */
  parents: number[];
  baseRelatives: Float64Array;
  inverseBaseAbsolutes: Float64Array;
  basePositions: Float64Array;
  weights: Float64Array;
  nVerts: number;
  /** the three vertices of each triangle */
  triangles: number[];
  isMirrored: boolean;
}

export interface HandData {
  model: HandModel;
  /** the vertex (simple) or triangle (complicated) each point corresponds to */
  correspondences: number[];
  /** 3 × nPoints */
  points: Float64Array;
}

/** out ← lhs·rhs, lhs (n × m) at lhsOffset, rhs (m × p) at rhsOffset, out (n × p) at outOffset. */
function matMult(
  n: number,
  m: number,
  p: number,
  lhs: Float64Array,
  lhsOffset: number,
  rhs: Float64Array,
  rhsOffset: number,
  out: Float64Array,
  outOffset: number,
): void {
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < p; k++) {
      let sum = lhs[lhsOffset + i]! * rhs[rhsOffset + k * m]!;
      for (let j = 1; j < m; j++) {
        sum += lhs[lhsOffset + j * n + i]! * rhs[rhsOffset + k * m + j]!;
      }
      out[outOffset + k * n + i] = sum;
    }
  }
}

function setIdentity(n: number, m: Float64Array, offset: number): void {
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      m[offset + j * n + i] = i === j ? 1 : 0;
    }
  }
}

/** R (3 × 3) of the rotation by |a| about a/|a|, a = angleAxis[offset…offset + 3). */
function angleAxisToRotationMatrix(angleAxis: Float64Array, offset: number, R: Float64Array): void {
  const norm = Math.sqrt(
    angleAxis[offset]! * angleAxis[offset]! + angleAxis[offset + 1]! * angleAxis[offset + 1]! + angleAxis[offset + 2]! * angleAxis[offset + 2]!,
  );
  if (norm < 0.0001) {
    setIdentity(3, R, 0);
    return;
  }

  const x = angleAxis[offset]! / norm;
  const y = angleAxis[offset + 1]! / norm;
  const z = angleAxis[offset + 2]! / norm;

  const s = Math.sin(norm);
  const c = Math.cos(norm);

  R[0] = x * x + (1 - x * x) * c; // (0, 0)
  R[3] = x * y * (1 - c) - z * s; // (0, 1)
  R[6] = x * z * (1 - c) + y * s; // (0, 2)
  R[1] = x * y * (1 - c) + z * s; // (1, 0)
  R[4] = y * y + (1 - y * y) * c; // (1, 1)
  R[7] = y * z * (1 - c) - x * s; // (1, 2)
  R[2] = x * z * (1 - c) - y * s; // (2, 0)
  R[5] = z * y * (1 - c) + x * s; // (2, 1)
  R[8] = z * z + (1 - z * z) * c; // (2, 2)
}

/** positions (3 × nVerts) ← R·diag(scale)·positions + translation, from the pose's columns 0, 1, 2. */
function applyGlobalTransform(poseParams: Float64Array, positions: Float64Array, nVerts: number): void {
  const R = new Float64Array(9);
  angleAxisToRotationMatrix(poseParams, 0, R);

  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) R[i * 3 + j] *= poseParams[3 + i]!;
  }

  const tmp = new Float64Array(3 * nVerts);
  matMult(3, 3, nVerts, R, 0, positions, 0, tmp, 0);
  for (let j = 0; j < nVerts; j++) {
    for (let i = 0; i < 3; i++) positions[j * 3 + i] = tmp[j * 3 + i]! + poseParams[6 + i]!;
  }
}

function relativesToAbsolutes(nBones: number, relatives: Float64Array, parents: number[], absolutes: Float64Array): void {
  for (let i = 0; i < nBones; i++) {
    if (parents[i] === -1) {
      for (let e = 0; e < 16; e++) absolutes[i * 16 + e] = relatives[i * 16 + e]!;
    } else {
      matMult(4, 4, 4, absolutes, parents[i]! * 16, relatives, i * 16, absolutes, i * 16);
    }
  }
}

/** R (3 × 3) = Rz·Ry·Rx for the angles x, z, y at xzy[offset…]. */
function eulerAnglesToRotationMatrix(xzy: Float64Array, offset: number, R: Float64Array): void {
  const tx = xzy[offset]!;
  const ty = xzy[offset + 2]!;
  const tz = xzy[offset + 1]!;
  const Rx = new Float64Array(9);
  const Ry = new Float64Array(9);
  const Rz = new Float64Array(9);

  setIdentity(3, Rx, 0);
  Rx[4] = Math.cos(tx); // (1, 1)
  Rx[5] = Math.sin(tx); // (2, 1)
  Rx[7] = -Rx[5]!; // (1, 2)
  Rx[8] = Rx[4]!; // (2, 2)

  setIdentity(3, Ry, 0);
  Ry[0] = Math.cos(ty); // (0, 0)
  Ry[6] = Math.sin(ty); // (0, 2)
  Ry[2] = -Ry[6]!; // (2, 0)
  Ry[8] = Ry[0]!; // (2, 2)

  setIdentity(3, Rz, 0);
  Rz[0] = Math.cos(tz); // (0, 0)
  Rz[1] = Math.sin(tz); // (1, 0)
  Rz[3] = -Rz[1]!; // (0, 1)
  Rz[4] = Rz[0]!; // (1, 1)

  const tmp = new Float64Array(9);
  matMult(3, 3, 3, Rz, 0, Ry, 0, tmp, 0);
  matMult(3, 3, 3, tmp, 0, Rx, 0, R, 0);
}

/** Each bone's base relative transform, rotated by its pose column (3 + bone). */
function getPosedRelatives(model: HandModel, poseParams: Float64Array, relatives: Float64Array): void {
  const tr = new Float64Array(16);
  const R = new Float64Array(9);
  for (let i = 0; i < model.nBones; i++) {
    setIdentity(4, tr, 0);
    eulerAnglesToRotationMatrix(poseParams, (i + 3) * 3, R);
    for (let col = 0; col < 3; col++) {
      for (let row = 0; row < 3; row++) tr[col * 4 + row] = R[col * 3 + row]!;
    }
    matMult(4, 4, 4, model.baseRelatives, i * 16, tr, 0, relatives, i * 16);
  }
}

/** The posed and skinned vertices (3 × nVerts). */
function getSkinnedVertexPositions(model: HandModel, poseParams: Float64Array, positions: Float64Array, applyGlobal: boolean): void {
  const nBones = model.nBones;
  const nVerts = model.nVerts;
  const relatives = new Float64Array(16 * nBones);
  const absolutes = new Float64Array(16 * nBones);
  const transforms = new Float64Array(16 * nBones);
  getPosedRelatives(model, poseParams, relatives);
  relativesToAbsolutes(nBones, relatives, model.parents, absolutes);

  // The bone transforms.
  for (let i = 0; i < nBones; i++) {
    matMult(4, 4, 4, absolutes, i * 16, model.inverseBaseAbsolutes, i * 16, transforms, i * 16);
  }

  // Each vertex is the weighted sum of its positions under each bone's transform (positions
  // comes in as zeros).
  const currPositions = new Float64Array(4 * nVerts);
  for (let iBone = 0; iBone < nBones; iBone++) {
    matMult(4, 4, nVerts, transforms, iBone * 16, model.basePositions, 0, currPositions, 0);
    for (let iVert = 0; iVert < nVerts; iVert++) {
      for (let i = 0; i < 3; i++) {
        positions[iVert * 3 + i] += currPositions[iVert * 4 + i]! * model.weights[iVert * nBones + iBone]!;
      }
    }
  }

  if (model.isMirrored) {
    for (let j = 0; j < nVerts; j++) positions[j * 3] = -positions[j * 3]!;
  }

  if (applyGlobal) applyGlobalTransform(poseParams, positions, nVerts);
}

/**
 * The pose (3 × (nBones + 3)): column 0 the global rotation, 1 the scale (1), 2 the global
 * translation, then per finger (from bone 5 on) the angles of its three joints, the first of them
 * with a second angle. poseParams comes in as zeros.
 */
function toPoseParams(theta: Float64Array, poseParams: Float64Array): void {
  for (let i = 0; i < 3; i++) {
    poseParams[i] = theta[i]!;
    poseParams[3 + i] = 1;
    poseParams[6 + i] = theta[3 + i]!;
  }

  let iTheta = 6;
  let iPoseParams = 5;
  const nFingers = 5;
  for (let iFinger = 0; iFinger < nFingers; iFinger++) {
    for (let i = 2; i <= 4; i++) {
      poseParams[iPoseParams * 3] = theta[iTheta++]!;
      if (i === 2) {
        poseParams[iPoseParams * 3 + 1] = theta[iTheta++]!;
      }
      iPoseParams++;
    }
    iPoseParams++;
  }
}

function skinnedVertices(theta: Float64Array, model: HandModel): Float64Array {
  const poseParams = new Float64Array(3 * (model.nBones + 3));
  toPoseParams(theta, poseParams);
  const vertexPositions = new Float64Array(3 * model.nVerts);
  getSkinnedVertexPositions(model, poseParams, vertexPositions, true);
  return vertexPositions;
}

/** @differentiable(forward, wrt: theta) */
export function objective(theta: Float64Array, data: HandData): Float64Array {
  const vertexPositions = skinnedVertices(theta, data.model);
  const nPoints = data.correspondences.length;
  const err = new Float64Array(3 * nPoints);
  for (let i = 0; i < nPoints; i++) {
    for (let j = 0; j < 3; j++) {
      err[i * 3 + j] = data.points[i * 3 + j]! - vertexPositions[data.correspondences[i]! * 3 + j]!;
    }
  }
  return err;
}

/** @differentiable(forward, wrt: theta, us) */
export function objectiveComplicated(theta: Float64Array, us: Float64Array, data: HandData): Float64Array {
  const vertexPositions = skinnedVertices(theta, data.model);
  const nPoints = data.correspondences.length;
  const err = new Float64Array(3 * nPoints);
  for (let i = 0; i < nPoints; i++) {
    const triangle = data.correspondences[i]! * 3;
    const v0 = data.model.triangles[triangle]! * 3;
    const v1 = data.model.triangles[triangle + 1]! * 3;
    const v2 = data.model.triangles[triangle + 2]! * 3;
    const u0 = us[2 * i]!;
    const u1 = us[2 * i + 1]!;
    for (let j = 0; j < 3; j++) {
      const handPointCoord = u0 * vertexPositions[v0 + j]! + u1 * vertexPositions[v1 + j]! + (1 - u0 - u1) * vertexPositions[v2 + j]!;
      err[i * 3 + j] = data.points[i * 3 + j]! - handPointCoord;
    }
  }
  return err;
}
