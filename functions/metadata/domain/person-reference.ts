/**
 * The small reference lists that registration needs at run time (id types, genders), apart from
 * the states/districts file: importing that one would put ~150 KB of JSON in every bundle.
 */
import genders from '../data/genders.json';
import idTypes from '../data/id-types.json';
import type { GenderRef, IdTypeRef } from './reference';

export const personReference = { idTypes: idTypes as IdTypeRef[], genders: genders as GenderRef[] };
