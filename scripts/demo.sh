#!/usr/bin/env bash
# The command line at work, without the server: generates a short video, probes it and extracts its audio in several
# formats into ./demo/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh

demo=demo
mkdir -p "$demo"
if [ ! -f "$demo/interview.mp4" ]; then
  echo "Generating a 20-second demonstration video in $demo/interview.mp4" >&2
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=640x360:rate=25" \
    -f lavfi -i "sine=frequency=220:sample_rate=48000,volume=0.3" -f lavfi -i "sine=frequency=330:sample_rate=48000" \
    -t 20 -map 0:v -map 1:a -map 2:a -c:v libx264 -preset ultrafast -c:a aac -b:a 128k \
    -metadata title="Demonstration interview" -metadata:s:a:0 language=eng -metadata:s:a:1 language=deu "$demo/interview.mp4"
fi

./vexaa probe "$demo/interview.mp4"
./vexaa extract "$demo/interview.mp4" -o "$demo/podcast.mp3" --normalize podcast --channels 1 --overwrite
./vexaa extract "$demo/interview.mp4" -o "$demo/tracks.opus" --all-tracks --overwrite
./vexaa extract "$demo/interview.mp4" -o "$demo/original" --format original --start 5 --end 15 --overwrite
echo "Done: the results are in $demo/. Try ./vexaa --help" >&2
