{
  "targets": [
    {
      "target_name": "heatbath",
      "sources": [
        "native/addon.cc",
        "native/sampler.cc",
        "native/sampler_blocks.cc",
        "native/sampler_rows.cc",
        "native/sampler_discrete.cc",
        "native/sampler_flips.cc",
        "native/sampler_nuts.cc",
        "native/normals.cc",
        "native/sampler_addon.cc",
        "native/rbm.cc",
        "native/program.cc",
        "native/rewrite.cc",
        "native/plan.cc",
        "native/fuse.cc",
        "native/shaped.cc",
        "native/reduce.cc",
        "native/session.cc",
        "native/executable.cc",
        "native/pool.cc",
        "native/kernels.cc",
        "native/kernels_generic.cc",
        "native/kernels_avx2.cc",
        "native/kernels_avx512.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math", "-pthread"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["target_arch!='x64' and target_arch!='ia32'", {
          "sources!": ["native/kernels_avx2.cc", "native/kernels_avx512.cc"],
          "defines": ["HB_NO_X86=1"]
        }]
      ]
    }
  ]
}
