// Web Worker entry: a thin comlink façade over the mesh core.
import { expose } from 'comlink';
import { meshApi } from './meshApi';

expose(meshApi);
