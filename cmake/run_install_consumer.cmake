# Installs ctml to a scratch prefix, then configures, builds and runs a
# consumer (tests/consumers/CONSUMER, default installed) that finds it with
# find_package(ctml); CONSUMER_ARGS go to the consumer's configure step.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${CTML_BINARY_DIR} --prefix ${prefix} COMMAND_ERROR_IS_FATAL ANY)
if(NOT DEFINED CONSUMER)
  set(CONSUMER installed)
endif()
separate_arguments(extra_args UNIX_COMMAND "${CONSUMER_ARGS}")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CTML_SOURCE_DIR}/tests/consumers/${CONSUMER} -B ${WORK_DIR}/build
                        -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release ${extra_args}
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${WORK_DIR}/build/consumer COMMAND_ERROR_IS_FATAL ANY)
