#!/usr/bin/env python3
"""Start-up of packaged real tools against the same tools run directly: paired runs, median of per-pair ratios,
wall time and CPU time (user+system of the whole process tree, from wait4's rusage), so that the CPU-time ratio
holds even on a loaded machine. Usage: startcpu.py WORKBENCH_DLL RUNS TOOL_DLL... (each run with --version)."""
import os, subprocess, sys, tempfile, time, statistics, shutil

def run(argv, env):
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000

workbench, runs, tools = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
home = tempfile.mkdtemp(prefix="startcpu-")
env = dict(os.environ, HOME=home, DOTNET_ROLL_FORWARD="Major", DOTNET_CLI_TELEMETRY_OPTOUT="1")
print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {runs} pairs each; workbench {workbench}")
for tool in tools:
    folder, dll = os.path.dirname(tool), os.path.basename(tool)
    package = os.path.join(home, dll + ".vapp")
    subprocess.run(["dotnet", workbench, "pack", folder, "--entry", dll, "-o", package, "--name", dll.replace(".dll", "")], env=env, check=True, stdout=subprocess.DEVNULL)
    direct = ["dotnet", tool, "--version"]
    packaged = ["dotnet", workbench, "app", "run", package, "--", "--version"]
    first = run(packaged, env)  # the first start after packing extracts
    run(direct, env)
    pairs = [(run(direct, env), run(packaged, env)) for _ in range(runs)]
    wall = statistics.median(p[1][0] / p[0][0] for p in pairs)
    cpu = statistics.median(p[1][1] / p[0][1] for p in pairs)
    d = statistics.median(p[0][0] for p in pairs); pk = statistics.median(p[1][0] for p in pairs)
    dc = statistics.median(p[0][1] for p in pairs); pc = statistics.median(p[1][1] for p in pairs)
    print(f"{dll}: direct {d:.0f} ms wall / {dc:.0f} ms CPU; packaged {pk:.0f} ms / {pc:.0f} ms CPU; ratio wall {wall:.2f}, CPU {cpu:.2f}; first start after packing {first[0]:.0f} ms wall ({first[0]/d:.2f}x)")
    for env_off in [dict(env, VWB_KERNEL_BOUNDARY="off")]:
        pairs = [(run(direct, env_off), run(packaged, env_off)) for _ in range(runs)]
        print(f"  without the kernel boundary: ratio wall {statistics.median(p[1][0] / p[0][0] for p in pairs):.2f}, CPU {statistics.median(p[1][1] / p[0][1] for p in pairs):.2f}")
shutil.rmtree(home, ignore_errors=True)
