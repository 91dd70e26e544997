# Configures, builds and runs a consumer that pulls ctml in with add_subdirectory.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CTML_SOURCE_DIR}/tests/consumers/subdirectory -B ${WORK_DIR}/build
                        -G ${GENERATOR} -DCTML_SOURCE_DIR=${CTML_SOURCE_DIR} -DCMAKE_BUILD_TYPE=Release
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${WORK_DIR}/build/consumer COMMAND_ERROR_IS_FATAL ANY)
