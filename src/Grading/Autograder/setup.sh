#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (Ubuntu). It installs the .NET SDK, bubblewrap
# (the filesystem and network containment) and the workbench itself. Made by `workbench kit autograder {{LAB}} DIR`.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq bubblewrap
# The .NET 10 SDK: from the distribution where it has it; otherwise install it as Microsoft documents for the image.
command -v dotnet >/dev/null || apt-get install -y -qq dotnet-sdk-10.0
# The workbench, from the package the instructor packed (dotnet pack src/Workbench) and put beside this script,
# or from the feed the course uses.
if ls /autograder/source/*.nupkg >/dev/null 2>&1; then
  dotnet tool install --global VirtualizationWorkbench --add-source /autograder/source
else
  dotnet tool install --global VirtualizationWorkbench
fi
