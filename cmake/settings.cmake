# Flags every extcomm target shares (osquery's cxx_settings pattern).
add_library(extcomm_settings INTERFACE)
target_compile_options(extcomm_settings INTERFACE -Wall -Wextra -Wpedantic)
if(EXTCOMM_WERROR)
  target_compile_options(extcomm_settings INTERFACE -Werror)
endif()
if(EXTCOMM_SANITIZE)
  target_compile_options(extcomm_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(extcomm_settings INTERFACE -fsanitize=address,undefined)
  # GCC 12 reports false "may be used uninitialized" inside std::regex/std::function once ASan
  # instruments them (GCC bug 105562); the warning stays on in the normal build.
  target_compile_options(extcomm_settings INTERFACE -Wno-maybe-uninitialized)
endif()
if(EXTCOMM_FUZZ)
  # libFuzzer's coverage hooks (without its main) and the sanitizers on everything the fuzz targets link.
  target_compile_options(extcomm_settings INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  # The unit tests are built here too (dev.sh). clang's sanitizer runtime as a shared library (GCC's
  # default) for all but the fuzz targets: a transport plugin is linked with --no-undefined
  # (plugin-api/cmake), which clang's static runtime, linked into executables only, would fail; it is
  # found where clang keeps it. The fuzz targets load no plugin and keep the static runtime, which
  # libFuzzer wants first in the list of libraries.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libclang_rt.asan-x86_64.so
                  OUTPUT_VARIABLE _asan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
  get_filename_component(_asan_runtime_dir ${_asan_runtime} DIRECTORY)
  set(_shared_runtime "$<NOT:$<BOOL:$<TARGET_PROPERTY:EXTCOMM_FUZZ_TARGET>>>")
  target_link_options(extcomm_settings INTERFACE -fsanitize=address,undefined
                      "$<${_shared_runtime}:-shared-libasan;LINKER:-rpath,${_asan_runtime_dir}>")
endif()
if(EXTCOMM_TSAN)
  target_compile_options(extcomm_settings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(extcomm_settings INTERFACE -fsanitize=thread)
  # GCC 12 warns that atomic_thread_fence is not supported with -fsanitize=thread (Asio and spdlog use it).
  target_compile_options(extcomm_settings INTERFACE -Wno-tsan)
endif()

find_package(Boost 1.81 REQUIRED COMPONENTS json)
find_package(Poco REQUIRED COMPONENTS Foundation Net Data DataSQLite JSON Util)
find_package(spdlog REQUIRED)
find_package(CURL REQUIRED)
find_package(Threads REQUIRED)
