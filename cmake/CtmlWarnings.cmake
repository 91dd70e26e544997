# Warnings are errors for ctml's own targets only: they are set per target,
# never on the INTERFACE libraries, so consumers keep their own flags.
function(ctml_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()
