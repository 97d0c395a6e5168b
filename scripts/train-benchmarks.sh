#!/usr/bin/env bash
# Trains the benchmark models (MNER, FMNERG, MNRE) with the exact settings used for docs/RESULTS.md and
# records their dev scores. Each model trains on its own train split only.
#
#   scripts/train-benchmarks.sh                 # every model below
#   scripts/train-benchmarks.sh gmner           # only the named ones (setup.sh trains the default
#                                               # model models/gmner.mie this way when it is absent)
#
# Environment: MIE (binary, default build/mie), MIE_DATA, MIE_MODELS (default ./models), SEED,
# THREADS, GLOVE (default .cache/glove100.bin).
#
# Writes models/gmner.mie (the default), models/twitter2015.mie,
# models/twitter2017.mie (and the knowledge-context GMNER variant models/gmner-know.mie),
# models/fmnerg.mie (three fine-type taggers guided by gmner.mie + grounding + a fused fine typer),
# models/gmner-large.mie (fine taggers guided by three GMNER seeds, emitting GMNER types),
# models/twitter2015-large.mie and models/twitter2017-large.mie (three seeds each),
# models/fmnerg-typer.mie and models/fmnerg-know.mie (NER + FMNERG fine typing), models/mnre.mie,
# models/mnre-large.mie (three relation models averaged), models/jmere.mie (gmner.mie + a relation
# stage: entities, boxes and relations of a plain post),
# plus models/ner-results.jsonl:
# one JSON line per model with the command, date, dev P/R/F1 (mie eval) and wall time.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
MIE=${MIE:-$SRC/build/mie}
GLOVE=${GLOVE:-${MIE_CACHE:-$SRC/.cache}/glove100.bin}
WANT=" $* "
want() { [[ "$WANT" == "  " || "$WANT" == *" $1 "* ]]; }
DATA=${MIE_DATA:-$SRC/../shared/data}
OUT=${MIE_MODELS:-$SRC/models}
SEED=${SEED:-1}
# One torch thread per training: the models are small, so each operation is short and a second
# thread costs more than it gains. The default model's epoch takes 15 s with 1 thread, 14 s with 2
# spinning threads (OMP_WAIT_POLICY unset) and 29 s with 2 passive ones (docs/RESULTS.md); spinning
# threads on busy cores were ~12x slower still. The results do not depend on the thread count.
THREADS=${THREADS:-1}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
mkdir -p "$OUT"
RESULTS="$OUT/ner-results.jsonl"

# Scores a written model with the eval module on the dev file (prediction from scratch); prints
# one JSON line. The extra args are the training options (--fine, --caption F, --knowledge F).
score() {  # name dev [training args...]
  local name=$1 dev=$2
  shift 2
  local ctx=()
  [[ " $* " == *" --knowledge "* ]] && ctx+=(--knowledge "$(echo "$*" | sed 's/.*--knowledge \([^ ]*\).*/\1/')")
  [[ " $* " == *" --caption "* ]] && ctx+=(--caption "$(echo "$*" | sed 's/.*--caption \([^ ]*\).*/\1/')")
  if [[ " $* " == *" --fine "* ]]; then  # FMNERG fine tags: fine_mner (span + fine type), coarse_mner, ...
    "$MIE" predict --model "$OUT/$name.mie" --input "$dev" "${ctx[@]}" > "$OUT/$name.dev.pred.jsonl"
    "$MIE" eval --task fmnerg --gold "$dev" --xml "$DATA/gmner/xml" --pred "$OUT/$name.dev.pred.jsonl" --json \
      | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)))'
  else
    "$MIE" predict --model "$OUT/$name.mie" --input "$dev" --format conll "${ctx[@]}" > "$OUT/$name.dev.pred.conll"
    "$MIE" eval --task mner --gold "$dev" --pred "$OUT/$name.dev.pred.conll" --json \
      | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)))'  # one line: JSONL
  fi
}

train() {  # name train dev [extra args...]
  local name=$1 train=$2 dev=$3
  shift 3
  local ep=(--epochs 25) th=(--threads "$THREADS")
  [[ " $* " == *" --epochs "* ]] && ep=()
  [[ " $* " == *" --threads "* ]] && th=()
  local cmd=("$MIE" train ner --train "$train" --dev "$dev" --seed "$SEED" "${th[@]}" "${ep[@]}" -o "$OUT/$name.mie" ${GLOVE:+--glove "$GLOVE"} "$@")
  echo "== $name: ${cmd[*]}" >&2
  local t0=$(date +%s)
  local summary
  summary=$("${cmd[@]}")
  local t1=$(date +%s)
  local ev
  ev=$(score "$name" "$dev" "$@")
  printf '{"model":"%s","date":"%s","command":"%s","train_wall_s":%d,"train":%s,"eval":%s}\n' \
    "$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${cmd[*]}" $((t1 - t0)) "$summary" "$ev" >> "$RESULTS"
  echo "$summary" >&2
}

# `mie ensemble` of $OUT/<base>.mie (seed 1, which must exist) and seeds 2 and 3 trained with the same
# arguments (<base>-s2, <base>-s3: trained only when absent; delete them to retrain) -> $OUT/<out>.mie,
# scored on dev like a trained model; its entity scores are calibrated on that dev file (--calibrate).
seed_ensemble() {  # base out train dev [training args...]
  local base=$1 out=$2
  shift 2
  [[ -s "$OUT/$base.mie" ]] || { echo "$out: $OUT/$base.mie is missing: train $base first" >&2; exit 1; }
  for s in 2 3; do
    if [[ ! -s "$OUT/$base-s$s.mie" ]]; then SEED=$s train "$base-s$s" "$@"; fi
  done
  local ens=("$MIE" ensemble -o "$OUT/$out.mie" --calibrate "$2" "$OUT/$base.mie" "$OUT/$base-s2.mie" "$OUT/$base-s3.mie")
  "${ens[@]}" > /dev/null
  printf '{"model":"%s","date":"%s","command":"%s","eval":%s}\n' "$out" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${ens[*]}" \
    "$(score "$out" "$2" "${@:3}")" >> "$RESULTS"
}

# Grounding stage (groundable classifier + region choice, grounding/): added to a GMNER NER model
# file in place, so one file does entities, types, groundable flags and boxes. Trained on GMNER
# train (gold groundable flags from the VOC xml) with the BLIP-2 captions; scored on dev.
ground() {  # name [extra args...]
  local name=$1
  shift
  local cmd=("$MIE" train ground --train "$DATA/gmner/train.txt" --dev "$DATA/gmner/dev.txt" --xml "$DATA/gmner/xml"
             --caption "$DATA/aux/captions-blip2.jsonl" --seed "$SEED" --base "$OUT/$name.mie" -o "$OUT/$name.mie" "$@")
  echo "== $name (ground): ${cmd[*]}" >&2
  local summary
  summary=$("${cmd[@]}")
  printf '{"model":"%s","date":"%s","command":"%s","summary":%s}\n' \
    "$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${cmd[*]}" "$summary" >> "$OUT/ground-results.jsonl"
}

# (`if want ...; then` rather than `want ... &&`: set -e does not apply inside && lists.)
# The default model: 2 BiLSTM layers of 100 units, no character CNN, the training-dictionary
# features, up to 50 epochs: dev F1 76.26. Session 8 briefly made 1 layer the default (75.57) after
# measuring 27.4k tokens/s for this model on one core; the cause was OpenBLAS running its generic
# Prescott kernels on that VM (its CPU model is not recognised). Since session 9 mie selects the
# kernels itself (mie/core/blas_kernels.h): 66.1k tokens/s (docs/RESULTS.md). NER_2L names these options for the other
# models that use them (the Twitter models, the knowledge variant, gmner-large's guide seeds).
GMNER_NER=(--hidden 100 --layers 2 --no-chars --epochs 50 --patience 10 --train-dict)
NER_2L=("${GMNER_NER[@]}")
if want gmner; then train gmner "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${GMNER_NER[@]}"; ground gmner; fi
# NER ablations and seed spread for docs/RESULTS.md: run only when named, e.g.
#   scripts/train-benchmarks.sh ablations      (or one of the names below)
named() { [[ "$WANT" == *" $1 "* || "$WANT" == *" ablations "* ]]; }
G=("$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" --hidden 100)
if named gmner-nochars; then train gmner-nochars "${G[@]}" --no-chars; fi
if named gmner-nogaz; then train gmner-nogaz "${G[@]}" --no-gazetteers; fi
if named gmner-blip2; then train gmner-blip2 "${G[@]}" --caption "$DATA/aux/captions-blip2.jsonl"; fi
if named gmner-seed2; then SEED=2 train gmner-seed2 "${G[@]}"; fi
if named gmner-seed3; then SEED=3 train gmner-seed3 "${G[@]}"; fi
# The same for the default (NER_2L = GMNER_NER): its seed spread, and the model without the dictionary.
# Data-parallel training on both cores (--shards 2 --threads 2: two network replicas, half a batch
# each; the same model on one thread or two), with the default batch of 16 and with 32 (16 per shard).
if named gmner-shards2; then train gmner-shards2 "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}" --shards 2 --threads 2; fi
if named gmner-shards2-b32; then
  train gmner-shards2-b32 "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}" --shards 2 --threads 2 --batch 32
fi
# Multi-task: FMNERG's fine types of the same training posts as auxiliary labels (a second CRF head,
# training only; FMNERG train holds GMNER train's posts, so nothing outside GMNER train is read).
if named gmner-aux05; then
  train gmner-aux05 "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}" --aux-fine "$DATA/fmnerg/train.txt" --aux-weight 0.5
fi
if named gmner-aux10; then
  train gmner-aux10 "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}" --aux-fine "$DATA/fmnerg/train.txt" --aux-weight 1
fi
if named gmner-dict-seed2; then SEED=2 train gmner-dict-seed2 "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}"; fi
# Context and gazetteer ablations of the default.
if named gmner-dict-blip2; then
  train gmner-dict-blip2 "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}" --caption "$DATA/aux/captions-blip2.jsonl"
fi
if named gmner-dict-nogaz; then
  train gmner-dict-nogaz "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}" --no-gazetteers
fi
if named gmner-dict-tokens; then
  train gmner-dict-tokens "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}" --train-dict-tokens
fi
if named gmner-nodict; then
  nodict=()
  for a in "${NER_2L[@]}"; do [[ $a == --train-dict ]] || nodict+=("$a"); done
  train gmner-nodict "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${nodict[@]}"
fi
# Twitter-2015/2017 and the knowledge variant use the 2-layer options (NER_2L), each with
# the dictionary of its own train split.
if want twitter2015; then train twitter2015 "$DATA/twitter2015/train.txt" "$DATA/twitter2015/valid.txt" "${NER_2L[@]}"; fi
if want twitter2017; then train twitter2017 "$DATA/twitter2017/train.txt" "$DATA/twitter2017/valid.txt" "${NER_2L[@]}"; fi
if want gmner-know; then
  # The LLM knowledge (match features of its listed entities) and the BLIP-2 caption, which go as
  # context tokens after the tweet (the caption first, then the knowledge text, 32 tokens in all).
  train gmner-know "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}" --knowledge "$DATA/aux/gmner-llm-knowledge.jsonl" \
    --caption "$DATA/aux/captions-blip2.jsonl"
  ground gmner-know
fi
# FMNERG (models/fmnerg.mie) = a BiLSTM-CRF over the 51 fine types (`mie train ner --fine`, trained
# on FMNERG train with the post's BLIP-2 image caption as context; the NER stage reports each
# entity's fine_type under its coarse type) + the grounding stage. It measured better than the
# alternative below (dev fine-MNER 58.80 text only, 60.20 with the caption, vs 57.06).
# The alternative, fmnerg-typer (and fmnerg-know): the GMNER NER stage (FMNERG's 8 coarse types map
# onto GMNER's 4 with identical spans, see io/fmnerg.h) + the fine typing stage trained on FMNERG
# train (typing/typer.h). `mie train fine` scores the dev split on gold spans and end to end (NER
# spans + fine types) and picks the coarse mode; its JSON summary goes to models/fine-results.jsonl.
fine() {  # name base [extra args...]
  local name=$1 base=$2
  shift 2
  local cmd=("$MIE" train fine --train "$DATA/fmnerg/train.txt" --dev "$DATA/fmnerg/dev.txt" --base "$OUT/$base.mie"
             --caption "$DATA/aux/captions-blip2.jsonl" --tau 0.3 --seed "$SEED" --threads "$THREADS" --epochs 8 --patience 2
             -o "$OUT/$name.mie" ${GLOVE:+--glove "$GLOVE"} "$@")
  echo "== $name: ${cmd[*]}" >&2
  local t0=$(date +%s) summary
  summary=$("${cmd[@]}")
  printf '{"model":"%s","date":"%s","command":"%s","train_wall_s":%d,"summary":%s}\n' \
    "$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${cmd[*]}" $(($(date +%s) - t0)) "$summary" >> "$OUT/fine-results.jsonl"
}
# Since 2026-12-04 the tagger also reads the training-dictionary features (--train-dict: 63.05
# against 60.96 without), and the NER stage of models/fmnerg.mie is an ensemble of three such taggers
# (seeds 1-3, `mie ensemble`: emission and transition scores averaged; 63.88 alone) guided by the
# GMNER model (--guide: its PER/LOC/ORG/OTHER scores added to the fine labels of each coarse type).
# A fine typing stage (WordNet, gazetteers, caption) then re-types each entity, fused with the
# tagger's own type scores (--ner-weight: the best of the listed weights end to end on dev).
FMNERG_NER=("$DATA/fmnerg/train.txt" "$DATA/fmnerg/dev.txt" --fine --no-chars --hidden 200 --epochs 40 --patience 8
            --caption "$DATA/aux/captions-blip2.jsonl" --train-dict)
if want fmnerg; then
  [[ -s "$OUT/gmner.mie" ]] || { echo "fmnerg: $OUT/gmner.mie (the guide) is missing: train gmner first" >&2; exit 1; }
  for s in 1 2 3; do SEED=$s train "fmnerg-s$s" "${FMNERG_NER[@]}"; done
  ens=("$MIE" ensemble -o "$OUT/fmnerg-tagger.mie" --guide "$OUT/gmner.mie" --guide-weight 1 --calibrate "$DATA/fmnerg/dev.txt"
       "$OUT/fmnerg-s1.mie" "$OUT/fmnerg-s2.mie" "$OUT/fmnerg-s3.mie")
  "${ens[@]}" > /dev/null
  printf '{"model":"fmnerg-tagger","date":"%s","command":"%s","eval":%s}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${ens[*]}" \
    "$(score fmnerg-tagger "${FMNERG_NER[1]}" "${FMNERG_NER[@]}")" >> "$RESULTS"
  ground fmnerg-tagger
  fine fmnerg fmnerg-tagger --ner-weight 0 0.5 1 1.5 2 3
fi
# models/gmner-large.mie: the most accurate text-only GMNER model (dev MNER 77.62 against 76.26 for
# models/gmner.mie, at about 7x its prediction cost). The three FMNERG fine taggers above (fmnerg-s1..3,
# trained with the BLIP-2 caption as context; they predict from the text alone when a post has no
# caption), guided by a three-seed ensemble of the default GMNER tagger (gmner.mie + seeds 2 and 3),
# emit GMNER types (`mie ensemble --types gmner`; fine_type kept) + the grounding stage. Members that
# exist in $OUT are reused (the full run trains fmnerg-s1..3 in the fmnerg step above); delete them
# to retrain. gmner-ens3.mie (the guide) is scored on dev too.
if want gmner-large; then
  seed_ensemble gmner gmner-ens3 "$DATA/gmner/train.txt" "$DATA/gmner/dev.txt" "${NER_2L[@]}"
  for s in 1 2 3; do
    if [[ ! -s "$OUT/fmnerg-s$s.mie" ]]; then SEED=$s train "fmnerg-s$s" "${FMNERG_NER[@]}"; fi
  done
  ens=("$MIE" ensemble -o "$OUT/gmner-large.mie" --types gmner --guide "$OUT/gmner-ens3.mie" --guide-weight 1
       --calibrate "$DATA/fmnerg/dev.txt" "$OUT/fmnerg-s1.mie" "$OUT/fmnerg-s2.mie" "$OUT/fmnerg-s3.mie")
  "${ens[@]}" > /dev/null
  printf '{"model":"gmner-large","date":"%s","command":"%s","eval":%s}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${ens[*]}" \
    "$(score gmner-large "$DATA/gmner/dev.txt")" >> "$RESULTS"
  ground gmner-large
fi
# models/twitter2015-large.mie and models/twitter2017-large.mie: three seeds of the benchmark
# model (seed 1 = twitter2015.mie / twitter2017.mie), scores averaged (three forward passes).
if want twitter2015-large; then
  seed_ensemble twitter2015 twitter2015-large "$DATA/twitter2015/train.txt" "$DATA/twitter2015/valid.txt" "${NER_2L[@]}"
fi
if want twitter2017-large; then
  seed_ensemble twitter2017 twitter2017-large "$DATA/twitter2017/train.txt" "$DATA/twitter2017/valid.txt" "${NER_2L[@]}"
fi
if want fmnerg-typer; then fine fmnerg-typer gmner; fi
if want fmnerg-know; then fine fmnerg-know gmner-know --knowledge "$DATA/aux/gmner-llm-knowledge.jsonl"; fi
# MNRE v2: relation classifier trained on MNRE train only; val picks the epoch (--select-best) and
# is scored by `mie eval --task mre` on the written model's predictions.
rel() {  # name [extra args...]
  local name=$1
  shift
  local cmd=("$MIE" train rel --train "$DATA/mnre/train.txt" --dev "$DATA/mnre/val.txt" --seed "$SEED" --threads "$THREADS"
             --select-best -o "$OUT/$name.mie" ${GLOVE:+--glove "$GLOVE"} "$@")
  echo "== $name: ${cmd[*]}" >&2
  local t0=$(date +%s) summary
  summary=$("${cmd[@]}")
  printf '{"model":"%s","date":"%s","command":"%s","train_wall_s":%d,"summary":%s}\n' \
    "$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${cmd[*]}" $(($(date +%s) - t0)) "$summary" >> "$OUT/rel-results.jsonl"
  "$MIE" predict --model "$OUT/$name.mie" --input "$DATA/mnre/val.txt" > "$OUT/$name.val.pred.jsonl"
  "$MIE" eval --task mre --gold "$DATA/mnre/val.txt" --pred "$OUT/$name.val.pred.jsonl" --json \
    | python3 -c 'import json, sys; print(json.dumps({"model": sys.argv[1], "eval": json.load(sys.stdin)}))' "$name" \
    >> "$OUT/rel-results.jsonl"
}
if want mnre; then rel mnre; fi
# models/mnre-large.mie: three seeds trained for 4 epochs (the learning rate decays over the run, so
# this is not the first 4 epochs of mnre.mie's 10), val picking each one's epoch; `mie ensemble`
# averages their log-probabilities (three forward passes).
if want mnre-large; then
  for s in 1 2 3; do SEED=$s rel "mnre-e4-s$s" --epochs 4; done
  ens=("$MIE" ensemble -o "$OUT/mnre-large.mie" "$OUT/mnre-e4-s1.mie" "$OUT/mnre-e4-s2.mie" "$OUT/mnre-e4-s3.mie")
  "${ens[@]}" > /dev/null
  "$MIE" predict --model "$OUT/mnre-large.mie" --input "$DATA/mnre/val.txt" > "$OUT/mnre-large.val.pred.jsonl"
  "$MIE" eval --task mre --gold "$DATA/mnre/val.txt" --pred "$OUT/mnre-large.val.pred.jsonl" --json \
    | python3 -c 'import json, sys; print(json.dumps({"model": "mnre-large", "command": sys.argv[1], "eval": json.load(sys.stdin)}))' "${ens[*]}" \
    >> "$OUT/rel-results.jsonl"
fi
# models/jmere.mie: models/gmner.mie's stages (NER + grounding, trained on GMNER) with a relation
# stage trained on MNRE train (mnre-large's member recipe, one seed); the stage's threshold is chosen
# end to end on MNRE val read as posts, which the same eval then scores (docs/metrics.md).
if want jmere; then
  [[ -s "$OUT/gmner.mie" ]] || { echo "jmere needs $OUT/gmner.mie (scripts/train-benchmarks.sh gmner)" >&2; exit 1; }
  cmd=("$MIE" train rel --base "$OUT/gmner.mie" --train "$DATA/mnre/train.txt" --dev "$DATA/mnre/val.txt" --seed "$SEED"
       --threads "$THREADS" --select-best --epochs 4 -o "$OUT/jmere.mie" ${GLOVE:+--glove "$GLOVE"})
  echo "== jmere: ${cmd[*]}" >&2
  "${cmd[@]}" > /dev/null
  "$MIE" predict --model "$OUT/jmere.mie" --input "$DATA/mnre/val.txt" > "$OUT/jmere.val.pred.jsonl"
  "$MIE" eval --task jmere --gold "$DATA/mnre/val.txt" --pred "$OUT/jmere.val.pred.jsonl" --json \
    | python3 -c 'import json, sys; print(json.dumps({"model": "jmere", "command": sys.argv[1], "eval": json.load(sys.stdin)}))' "${cmd[*]}" \
    >> "$OUT/rel-results.jsonl"
fi
echo "results appended to $OUT/{ner,ground,fine,rel}-results.jsonl" >&2
